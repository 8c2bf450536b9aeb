package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** page/per_page slicing of list answers (default 30, max 100). */
final class Paging {
  private Paging() {}

  static ArrayNode page(ArrayNode all, SimRequest req) {
    int perPage = Math.max(1, Math.min(100, req.queryInt("per_page", 30)));
    int page = Math.max(1, req.queryInt("page", 1));
    ArrayNode out = Sim.JSON.createArrayNode();
    for (int i = (page - 1) * perPage; i < Math.min(all.size(), page * perPage); i++) out.add(all.get(i));
    return out;
  }
}
