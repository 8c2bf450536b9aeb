package dev.agentdispatch.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Method + path-template routing. "{name}" matches one segment; "{name+}" matches the rest, slashes included. */
final class Router {
  /** A handler of one operation. */
  @FunctionalInterface
  interface Handler {
    SimResponse handle(SimRequest req);
  }

  /** One route: its operation key (e.g. "GET /repos/{owner}/{repo}") matches the OpenAPI path. */
  record Route(String method, String template, Pattern pattern, List<String> names, Handler handler) {
    String operation() { return method + " " + template.replace("+}", "}"); }
  }

  /** A matched route with its decoded path parameters. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  void add(String method, String template, Handler h) {
    List<String> names = new ArrayList<>();
    StringBuilder re = new StringBuilder();
    Matcher m = Pattern.compile("\\{([a-z_]+)(\\+?)}").matcher(template);
    int last = 0;
    while (m.find()) {
      re.append(Pattern.quote(template.substring(last, m.start())));
      re.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
      names.add(m.group(1));
      last = m.end();
    }
    re.append(Pattern.quote(template.substring(last)));
    routes.add(new Route(method, template, Pattern.compile(re.toString()), names, h));
  }

  void get(String t, Handler h) { add("GET", t, h); }
  void post(String t, Handler h) { add("POST", t, h); }
  void patch(String t, Handler h) { add("PATCH", t, h); }
  void put(String t, Handler h) { add("PUT", t, h); }
  void delete(String t, Handler h) { add("DELETE", t, h); }

  /** The first route matching a raw (still percent-encoded) path, or null. */
  Match match(String method, String rawPath) {
    String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    for (Route r : routes) {
      if (!r.method.equals(method)) continue;
      Matcher m = r.pattern.matcher(path);
      if (!m.matches()) continue;
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < r.names.size(); i++) {
        params.put(r.names.get(i), java.net.URLDecoder.decode(m.group(i + 1).replace("+", "%2B"),
            java.nio.charset.StandardCharsets.UTF_8));
      }
      return new Match(r, params);
    }
    return null;
  }

  List<Route> routes() { return List.copyOf(routes); }
}
