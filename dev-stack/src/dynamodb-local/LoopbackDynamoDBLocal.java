import java.lang.reflect.Field;

/**
 * Starts Amazon's DynamoDB Local bound to 127.0.0.1 only. DynamoDB Local has no host option and
 * binds every interface; this launcher builds the same server its own main() would, points the
 * Jetty connector at the loopback address, then starts it. Run as a single-file source program:
 *   java -cp DynamoDBLocal.jar -Djava.library.path=DynamoDBLocal_lib LoopbackDynamoDBLocal.java -port N ...
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    Field f = proxy.getClass().getDeclaredField("server");
    f.setAccessible(true);
    Object server = f.get(proxy);
    Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object c : connectors) c.getClass().getMethod("setHost", String.class).invoke(c, "127.0.0.1");
    proxy.getClass().getMethod("start").invoke(proxy);
    System.out.println("DynamoDB Local listening on 127.0.0.1");
  }
}
