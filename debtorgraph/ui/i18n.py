"""The app's strings, Chinese first, English second, and the current language.

Every label the app shows is a key of :data:`STRINGS`; :func:`t` returns it in the
language chosen in the sidebar (``st.session_state["lang"]``: ``zh`` or ``en``), with
``str.format`` fields filled in. A missing key falls back to the key itself, so a typo
shows up on screen instead of crashing the page (``tests/app/test_app_findings.py`` checks the
table is complete for the keys the pages use).
"""
from __future__ import annotations

from typing import Any

__all__ = ["STRINGS", "t", "current_lang", "LANGS", "SCHEMA_NAMES", "schema_name"]

#: Language code -> label in the sidebar toggle.
LANGS: dict[str, str] = {"zh": "中文", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    # frame
    "app_title": ("执行财产线索图谱", "Enforcement asset graph"),
    "language": ("语言 / Language", "语言 / Language"),
    "mask": ("个人信息脱敏", "Mask personal data"),
    "mask_help": ("隐藏身份证号、电话和账号的中间部分", "Hide the middle of ID numbers, phones and accounts"),
    "unmask": ("显示完整个人信息", "Show full identifiers"),
    "unmask_reason": ("查看理由（记入审计日志）", "Reason (written to the audit log)"),
    "unmask_need_reason": ("填写理由后才显示完整信息", "Full identifiers show once a reason is given"),
    "mask_always": ("个人信息已脱敏（当前角色不能查看完整信息）",
                    "Personal data masked (this role may not unmask)"),
    "login_title": ("登录 debtorgraph", "Sign in to debtorgraph"),
    "login_name": ("用户名", "User name"),
    "login_password": ("密码", "Password"),
    "login_button": ("登录", "Sign in"),
    "login_as": ("当前用户：{name}（{role}）", "Signed in as {name} ({role})"),
    "logout": ("退出登录", "Sign out"),
    "store": ("数据库", "Store"),
    "no_store": ("尚未导入数据：请在「数据导入」页导入文件，或运行 `debtorgraph demo`。",
                 "No data loaded yet: load files on the Data page, or run `debtorgraph demo`."),
    "store_error": ("无法打开数据库：{error}", "Cannot open the store: {error}"),
    "current_debtor": ("当前被执行人：{name}", "Current debtor: {name}"),
    "no_debtor": ("请先在「检索」页选择一个被执行人。", "Pick a debtor on the Search page first."),
    "module_missing": ("「{feature}」模块尚未安装（{module}），此处功能暂不可用。",
                       "The {feature} module ({module}) is not installed yet; this part is unavailable."),
    "module_failed": ("「{feature}」运行出错：{error}", "{feature} failed: {error}"),
    # pages
    "outside_window": ("另有 {n} 项早于或晚于图中时段；打开“整个时段”可看全部",
                       "{n} more items lie outside the period shown; switch on the whole period to see them"),
    "q_untriaged": ("待核查", "To triage"),
    "q_due": ("{n} 天内到期", "Due in {n} days"),
    "q_moved_total": ("转移金额合计", "Amount moved"),
    "q_untriaged_title": ("待核查的可疑行为（按分数）", "Findings nobody has triaged, best score first"),
    "q_deadlines_title": ("撤销权期限（民法典第五百四十一条）", "Revocation deadlines (Civil Code art. 541)"),
    "q_moved_title": ("被执行人（按查明转移金额）", "Debtors by the amount found moved"),
    "q_loads_title": ("最近导入", "Last loads"),
    "q_store_contents": ("库内数据", "What the store holds"),
    "q_review": ("核查 →", "Review →"),
    "q_open": ("打开 →", "Open →"),
    "q_view": ("查看 →", "View →"),
    "q_none": ("暂无", "Nothing"),
    "q_more": ("另有 {n} 条，见“可疑行为”", "{n} more on Findings"),
    "days_left": ("剩 {n} 天", "{n} days left"),
    "q_findings_n": ("{n} 条可疑行为", "{n} findings"),
    "q_load_counts": ("新增 {loaded}，合并 {merged}，拒收 {rejected}", "{loaded} loaded, {merged} merged, {rejected} rejected"),
    "q_load_records": ("{n} 条原始记录", "{n} records"),
    "choose": ("请选择", "Choose"),
    "payment_id": ("交易", "Payment"),
    "endpoint": ("去向", "Endpoint"),
    "payer": ("付款方", "Payer"),
    "payee": ("收款方", "Payee"),
    "end_from": ("起点", "From"),
    "end_to": ("终点", "To"),
    "mark_choose": ("请选择一项标注", "Choose a mark"),
    "q_detecting": ("正在后台检测可疑行为，完成后此页自动更新。", "Detection is running in the background; this page fills in when it is done."),
    "page_overview": ("总览", "Overview"),
    "page_search": ("检索", "Search"),
    "page_investigate": ("关系网络", "Network"),
    "page_flow": ("资金流向", "Money flow"),
    "page_timeline": ("时间线", "Timeline"),
    "page_findings": ("可疑行为", "Findings"),
    "page_evidence": ("证据链", "Evidence"),
    "page_cypher": ("Cypher 查询", "Cypher"),
    "page_data": ("数据导入", "Data"),
    "section_work": ("办案", "Investigate"),
    "section_tools": ("工具", "Tools"),
    # overview
    "cases": ("案件", "Cases"),
    "debtors": ("被执行人", "Debtors"),
    "entities": ("实体", "Entities"),
    "records": ("原始记录", "Records"),
    "relationships": ("关系", "Relationships"),
    "by_schema": ("按类型统计实体", "Entities by schema"),
    "by_rel": ("按类型统计关系", "Relationships by type"),
    "findings_by_rule": ("按规则统计可疑行为", "Findings by rule"),
    "loads": ("导入批次", "Loads"),
    "load_id": ("批次", "Load"),
    "count": ("数量", "Count"),
    "schema": ("类型", "Schema"),
    "rule": ("规则", "Rule"),
    "score": ("评分", "Score"),
    "mean_score": ("平均评分", "Mean score"),
    "max_score": ("最高评分", "Top score"),
    "debtor_list": ("被执行人名单", "Debtors"),
    # search
    "search_label": ("姓名、身份证号、统一社会信用代码、账号、车牌、不动产权证号或案号",
                     "Name, ID number, USCC, account, plate, title number or case number"),
    "search_placeholder": ("例如：王建国 / 6222 / 川A12345 / (2022)川3338执123号",
                           "e.g. 王建国 / 6222 / 川A12345 / (2022)川3338执123号"),
    "search_schema": ("限定类型", "Only these schemata"),
    "search_none": ("没有找到与「{q}」匹配的实体。", "Nothing matches “{q}”."),
    "search_hits": ("找到 {n} 个结果", "{n} results"),
    "search_more": ("结果较多，只显示前 {n} 个；请输入更具体的内容。",
                    "Many results: showing the first {n}; be more specific."),
    "open_workspace": ("打开", "Open"),
    "matched_on": ("匹配字段", "Matched on"),
    "name": ("名称", "Name"),
    "id": ("ID", "ID"),
    "role": ("角色", "Role"),
    "case_number": ("案号", "Case number"),
    "details": ("详情", "Details"),
    # network
    "relation_kinds": ("关系类型", "Relation kinds"),
    "date_window": ("时间范围", "Date window"),
    "min_amount": ("最低金额（元）", "Minimum amount (CNY)"),
    "depth": ("展开层数", "Depth"),
    "expand": ("展开节点的邻居", "Expand the neighbours of"),
    "pin": ("固定显示", "Pin"),
    "hide": ("隐藏", "Hide"),
    "split_pairs": ("拆开显示逐笔交易", "Show single transfers between"),
    "max_nodes": ("最多节点数", "Most nodes shown"),
    "summarised": ("邻居过多：显示 {shown} 个，其余 {rest} 个已合并为汇总节点。",
                   "Large neighbourhood: {shown} shown, {rest} more summarised."),
    "more_nodes": ("其余 {n} 个{kind}", "{n} more {kind}"),
    "legend": ("图例", "Legend"),
    "nodes_table": ("节点", "Nodes"),
    "edges_table": ("连线", "Edges"),
    "findings_here": ("与该网络有关的可疑行为：{n} 条（红色标出）", "Findings in this network: {n} (in red)"),
    "transfers": ("笔", "transfers"),
    "total": ("合计", "total"),
    "network_hint": ("拖动节点可调整位置；双击节点可固定/解除固定；滚轮缩放。",
                     "Drag to move a node; double-click to pin or unpin it; scroll to zoom."),
    "from": ("付款方", "From"),
    "to": ("收款方", "To"),
    "amount": ("金额", "Amount"),
    "date": ("日期", "Date"),
    "kind": ("关系", "Kind"),
    "first_date": ("最早", "First"),
    "last_date": ("最晚", "Last"),
    "n_transfers": ("笔数", "Transfers"),
    # relation kinds
    "rk_family": ("亲属", "Family"),
    "rk_associate": ("关系人", "Associates"),
    "rk_ownership": ("持有/股权", "Ownership"),
    "rk_control": ("任职/控制", "Directorships"),
    "rk_payment": ("资金往来", "Transfers"),
    "rk_case": ("案件/债务", "Cases and debts"),
    "rk_milestone": ("节点事件/措施", "Milestones and sanctions"),
    "rk_other": ("其他", "Other"),
    # flow
    "trace_from": ("追踪起点（账户或当事人）", "Trace from (account or party)"),
    "trace_rule": ("追踪规则", "Tracing rule"),
    "since": ("起始日期", "Since"),
    "until": ("截止日期", "Until"),
    "run_trace": ("开始追踪", "Trace"),
    "endpoints": ("资金去向", "Where the money is"),
    "hops": ("逐跳明细", "Hop by hop"),
    "holder": ("持有人", "Holder"),
    "traced": ("追踪金额", "Traced"),
    "range": ("LIBR–贪心 区间", "LIBR–greedy range"),
    "range_help": ("最低中间余额规则（LIBR）与贪心规则的结果之差，显示规则选择对结论的影响。",
                   "The gap between the lowest-intermediate-balance and greedy rules: how much the rule matters."),
    "direct_outflows": ("直接转出（未经追踪规则计算）", "Direct outflows (no tracing rule applied)"),
    "not_assigned": ("该当事人不在分配给您的案件中，无权查看。", "This party is not in a case assigned to you."),
    "trace_truncated": ("交易特别多的往来方（商户、银行等）未继续追踪：资金到达它们即作为终点。",
                        "Parties with very many payments (merchants, banks) were not followed: "
                        "money that reaches them ends there."),
    "no_endpoints": ("在该时间范围内没有可追踪的资金。", "Nothing traceable in this window."),
    "path": ("路径", "Path"),
    "hop": ("跳", "Hop"),
    # timeline
    "lane": ("类别", "Lane"),
    "lane_milestone": ("案件节点", "Milestones"),
    "lane_sanction": ("强制措施", "Sanctions"),
    "lane_out": ("转出", "Payments out"),
    "lane_in": ("转入", "Payments in"),
    "lane_ownership": ("产权变动", "Ownership changes"),
    "lane_family": ("婚姻家庭", "Family"),
    "event": ("事项", "What"),
    "whole_period": ("显示全部时间", "Show the whole period"),
    "no_timeline": ("该被执行人没有带日期的记录。", "No dated records for this debtor."),
    # findings
    "no_findings": ("没有可疑行为。", "No findings."),
    "detecting": ("正在检测可疑行为…", "Running the detection rules…"),
    "findings_count": ("共 {n} 条可疑行为", "{n} findings"),
    "explanation": ("说明", "Explanation"),
    "legal_basis": ("法律依据", "Legal basis"),
    "deadline": ("撤销权除斥期间届满", "Revocation deadline"),
    "subject": ("被执行人", "Debtor"),
    "counterparties": ("相对人", "Counterparties"),
    "acts": ("行为", "Acts"),
    "mark": ("标注", "Mark"),
    "mark_reason": ("理由", "Reason"),
    "mark_save": ("保存标注", "Save mark"),
    "mark_saved": ("已保存：{status}", "Saved: {status}"),
    "mark_need_reason": ("排除时请写明理由。", "Give a reason when dismissing."),
    "status_confirmed": ("已确认", "Confirmed"),
    "status_dismissed": ("已排除", "Dismissed"),
    "status_to_check": ("待核查", "To check"),
    "status_new": ("未标注", "Not marked"),
    "filter_status": ("按标注筛选", "Filter by mark"),
    "min_score": ("最低评分", "Minimum score"),
    "findings_view": ("查看", "Show"),
    "view_findings": ("可疑行为（{n}）", "Findings ({n})"),
    "view_leads": ("待核查线索（{n}）", "Leads to check ({n})"),
    "leads_note": ("线索只提示需要核查的事项，分数低于阈值，不作为认定依据；核实后方可作为证据。",
                   "A lead only says what to check: it scores under the threshold and proves nothing until checked."),
    "confirm": ("核实方法", "How to confirm"),
    "open_finding": ("查看可疑行为", "Open a finding"),
    "download_findings": ("下载可疑行为（含标注）", "Download findings (with marks)"),
    "acts_graph": ("行为关系图", "The acts in the graph"),
    # evidence
    "evidence_case": ("案件", "Case"),
    "build_packet": ("生成证据材料", "Build the packet"),
    "download_pdf": ("下载 PDF", "Download PDF"),
    "download_docx": ("下载 Word", "Download DOCX"),
    "download_json": ("下载 JSON", "Download JSON"),
    "packet_preview": ("证据预览", "Preview"),
    "dismissed_left_out": ("已排除的 {n} 条可疑行为未列入证据材料。", "{n} dismissed findings are left out of the packet."),
    "category": ("证明事项", "Category"),
    "fact": ("事实", "Fact"),
    "sources": ("来源", "Sources"),
    # cypher
    "library": ("查询库", "Query library"),
    "console": ("自由查询（只读）", "Free console (read-only)"),
    "run": ("运行", "Run"),
    "params": ("参数", "Parameters"),
    "rows_shown": ("{n} 行", "{n} rows"),
    "truncated": ("结果已截断，只显示前 {n} 行", "Truncated at {n} rows"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "as_graph": ("以图形显示", "As a graph"),
    "no_library": ("查询库尚未安装（debtorgraph.queries.library）。", "The query library is not installed yet."),
    "limits": ("时限 {ms} 毫秒，最多 {rows} 行", "Time limit {ms} ms, at most {rows} rows"),
    # data
    "upload": ("上传文件（FtM JSON 行文件或法院查控文件）", "Upload files (FtM JSON lines or court files)"),
    "load": ("导入", "Load"),
    "accounts_mangled": ("{n} 个账号被 Excel 改为科学计数法（如 8.15E+14），位数已丢失，未作账号使用，对方按户名记；"
                         "请取原始导出文件重新导入。",
                         "{n} account numbers were turned into scientific notation by Excel (8.15E+14): their digits "
                         "are lost, so they are not used as accounts; load the original export again."),
    "finding_ref": ("规则代码 {rule} · 编号 {id}", "Rule {rule} · id {id}"),
    "uploader_button": ("选择文件", "Browse files"),
    "uploader_limit": ("每个文件不超过 {size}，可拖放到此处", "{size} per file"),
    "upload_holder": ("户名（流水文件未写明时填写）", "Holder's name (when a statement names none)"),
    "upload_account": ("账号（流水文件未写明时填写）", "Account number (when a statement names none)"),
    "upload_holder_help": ("用于本次上传的全部流水文件；文件自己写明的户名和账号优先。",
                           "Applies to every statement in this upload; what a file names itself comes first."),
    "holder_to_confirm": ("{file}：文件未写明户名，暂记为「{placeholder}」。请在上方填写户名和账号后重新导入。",
                          "{file}: the file names no holder; recorded as “{placeholder}”. Fill in the holder "
                          "and account above and load it again."),
    "rows_skipped": ("跳过表尾、小计、说明行 {n} 行（不是交易）", "{n} footer, subtotal and notice rows skipped (not transactions)"),
    "loading": ("正在导入 {file} …", "Loading {file} …"),
    "loaded": ("导入完成", "Load finished"),
    "load_failed": ("导入失败，数据库未改变：{error}", "Load failed, store unchanged: {error}"),
    "download_rejects": ("下载被拒绝的行", "Download the rejects"),
    "sample": ("载入示例案件（王建国案）", "Load the sample case (王建国)"),
    "report": ("导入报告", "Load report"),
    "entities_in": ("读入实体", "Entities in"),
    "loaded_n": ("新增", "Loaded"),
    "merged_n": ("合并", "Merged"),
    "rejected_n": ("拒绝", "Rejected"),
    "readonly_note": ("其他页面以只读方式打开数据库；导入时短暂切换为读写。",
                      "Other pages open the store read-only; a load switches to read-write briefly."),
}

#: FtM schema names in Chinese (English is the schema name itself).
SCHEMA_NAMES: dict[str, str] = {
    "Person": "自然人", "Company": "公司", "Organization": "组织", "PublicBody": "机关",
    "LegalEntity": "当事人", "BankAccount": "账户", "RealEstate": "不动产", "Vehicle": "车辆",
    "Security": "证券", "Asset": "资产", "CourtCase": "案件", "Event": "事件", "Sanction": "措施",
    "Payment": "交易", "Ownership": "持有", "Family": "亲属", "Associate": "关系人",
    "Directorship": "任职", "Employment": "雇佣", "CourtCaseParty": "案件当事人", "Debt": "债务",
    "Document": "文件", "Table": "表格", "Workbook": "工作簿", "Summary": "汇总",
}


def current_lang() -> str:
    """``zh`` or ``en``: the sidebar choice, else the DEBTORGRAPH_LANG setting."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang")
        if lang in LANGS:
            return str(lang)
    except Exception:  # outside a Streamlit run
        pass
    from ..config import setting

    return "en" if setting("DEBTORGRAPH_LANG") == "en" else "zh"


def t(key: str, lang: str | None = None, **fields: Any) -> str:
    """The string ``key`` in ``lang`` (default: the current language), formatted.

    >>> t("search_hits", "en", n=3)
    '3 results'
    >>> t("no_such_key", "zh")
    'no_such_key'
    """
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if (lang or current_lang()) == "en" else pair[0]
    return text.format(**fields) if fields else text


def schema_name(schema: str | None, lang: str | None = None) -> str:
    """A schema's display name: Chinese name in zh, the FtM name in en.

    >>> schema_name("BankAccount", "zh"), schema_name("BankAccount", "en")
    ('账户', 'BankAccount')
    """
    if not schema:
        return "?"
    if (lang or current_lang()) == "en":
        return schema
    return SCHEMA_NAMES.get(schema, schema)


def uploader_css(lang: str, limit_mb: int) -> str:
    """``<style>`` putting the file uploader's own English words ("Upload", "2GB per file",
    drawn by Streamlit's frontend, which takes no label for them) in Chinese; "" in English.

    >>> "选择文件" in uploader_css("zh", 2048) and "2GB" in uploader_css("zh", 2048)
    True
    >>> uploader_css("en", 2048)
    ''
    """
    if lang != "zh":
        return ""
    size = f"{limit_mb // 1024}GB" if limit_mb >= 1024 and limit_mb % 1024 == 0 else f"{limit_mb}MB"
    drop = '[data-testid="stFileUploaderDropzone"]'
    button, hint = t("uploader_button", "zh"), t("uploader_limit", "zh", size=size)
    return ("<style>"
            f'{drop} button [data-testid="stMarkdownContainer"] p{{font-size:0}}'
            f'{drop} button [data-testid="stMarkdownContainer"] p::after{{content:"{button}";font-size:1rem}}'
            f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span{{font-size:0}}'
            f'{drop} [data-testid="stFileUploaderDropzoneInstructions"] span::after{{content:"{hint}";font-size:.875rem}}'
            "</style>")

