// Starts Neo4j Community 5 (embedded DBMS with its Bolt server) on 127.0.0.1 for
// tools/neo4j-local: `java -cp <neo4j jars>:. Neo4jLocal HOME PORT PASSWORD PAGECACHE_MB`.
// HOME holds the data (HOME/data/databases/neo4j, the layout neo4j-admin uses too).
// When Bolt accepts connections it writes HOME/ready (the port); on SIGTERM it shuts down
// cleanly (a checkpoint), so the next start does not need recovery.
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public final class Neo4jLocal {
    private Neo4jLocal() {}

    /** With NEO4J_LOCAL_PARENT set (a pid), exit (cleanly) once that process is gone. */
    private static void watchParent() {
        String parent = System.getenv("NEO4J_LOCAL_PARENT");
        if (parent == null || parent.isBlank()) {
            return;
        }
        long pid = Long.parseLong(parent.trim());
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
            System.out.println("neo4j-local: process " + pid + " is gone, stopping");
            System.exit(0);
        }, "neo4j-local-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Neo4jLocal HOME PORT PASSWORD PAGECACHE_MB");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        long pagecache = Long.parseLong(args[3]) * 1024L * 1024L;
        Path ready = home.resolve("ready");
        Files.deleteIfExists(ready);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ZERO)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (Exception ignored) {
                // the folder may be gone already
            }
            dbms.shutdown();
            stopped.countDown();
        }));
        // The initial user is neo4j; give it the password (no change required at first login).
        // On a later start the password is usually set already: Neo4j refuses the same one.
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        } catch (RuntimeException exc) {
            if (!String.valueOf(exc.getMessage()).contains("cannot be the same")) {
                System.err.println("neo4j-local: cannot set the password of user neo4j: " + exc.getMessage());
                System.exit(1);
            }
        }
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                break;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        watchParent();
        Path tmp = home.resolve("ready.tmp");
        Files.writeString(tmp, Integer.toString(port) + "\n");
        Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("neo4j-local: Bolt on 127.0.0.1:" + port + ", data in " + home);
        stopped.await();
    }
}
