// Serves Solr's full HTTP API from the Maven Central jars, on loopback, until killed.
// Usage: java -cp 'lib/*' SolrLauncher.java SOLR_HOME PORT
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class SolrLauncher {
    public static void main(String[] args) throws Exception {
        String solrHome = args[0];
        int port = Integer.parseInt(args[1]);
        JettyConfig config = JettyConfig.builder()
                .setPort(port)
                .setContext("/solr")
                .stopAtShutdown(true)
                .build();
        JettySolrRunner runner = new JettySolrRunner(solrHome, config);
        try {
            runner.start();
            if (runner.getCoreContainer() == null || runner.getCoreContainer().isShutDown()) {
                throw new IllegalStateException("Solr's core container did not start");
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("Solr ready at " + runner.getBaseUrl());
        Thread.currentThread().join();
    }
}
