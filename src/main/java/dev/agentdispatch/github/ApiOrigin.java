package dev.agentdispatch.github;

import java.net.URI;
import java.util.Locale;

/** The configured API base (GITHUB_API_URL): every URL the client sends to or follows must be under it. */
record ApiOrigin(URI base) {
  ApiOrigin {
    String s = base.toString();
    base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /** A path ("/repos/o/r") is put under the base; an absolute URL must already be under it. */
  URI resolve(String target) {
    URI uri = target.startsWith("/") ? URI.create(base + target) : URI.create(target);
    if (!contains(uri)) {
      throw new ForeignOriginRefused(uri.getScheme() + "://" + uri.getRawAuthority() + "/…", base.toString());
    }
    return uri;
  }

  boolean contains(URI uri) {
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
      return false;
    }
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return uri.getScheme().equalsIgnoreCase(base.getScheme())
        && uri.getHost().toLowerCase(Locale.ROOT).equals(base.getHost().toLowerCase(Locale.ROOT))
        && port(uri) == port(base)
        && (basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/"));
  }

  /** The raw path below the base, e.g. "/repos/o/r/pulls/1/merge". */
  String apiPath(URI uri) {
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return path.substring(Math.min(path.length(), basePath.length()));
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
