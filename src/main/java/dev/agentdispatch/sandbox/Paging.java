package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/** page/per_page slicing of list answers (default 30, max 100) with GitHub's Link header. */
final class Paging {
  private Paging() {}

  static ArrayNode page(ArrayNode all, SimRequest req) {
    int perPage = perPage(req);
    int page = Math.max(1, req.queryInt("page", 1));
    ArrayNode out = Sim.JSON.createArrayNode();
    for (int i = (page - 1) * perPage; i < Math.min(all.size(), page * perPage); i++) out.add(all.get(i));
    return out;
  }

  /** One page plus Link: rel="next"/"last" while more pages exist, rel="prev"/"first" after the first. */
  static SimResponse respond(ArrayNode all, SimRequest req) {
    SimResponse r = SimResponse.ok(page(all, req));
    int perPage = perPage(req);
    int page = Math.max(1, req.queryInt("page", 1));
    int last = Math.max(1, (all.size() + perPage - 1) / perPage);
    List<String> links = new ArrayList<>();
    if (page < last) {
      links.add(link(req, page + 1, perPage, "next"));
      links.add(link(req, last, perPage, "last"));
    }
    if (page > 1) {
      links.add(link(req, page - 1, perPage, "prev"));
      links.add(link(req, 1, perPage, "first"));
    }
    if (!links.isEmpty()) r.header("Link", String.join(", ", links));
    return r;
  }

  private static int perPage(SimRequest req) { return Math.max(1, Math.min(100, req.queryInt("per_page", 30))); }

  private static String link(SimRequest req, int page, int perPage, String rel) {
    String url = req.url().replaceAll("([?&])(page|per_page)=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return "<" + url + (url.contains("?") ? "&" : "?") + "per_page=" + perPage + "&page=" + page + ">; rel=\"" + rel + "\"";
  }
}
