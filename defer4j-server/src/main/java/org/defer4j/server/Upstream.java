package org.defer4j.server;

import java.net.URI;

/**
 * Where {@code /v1/chat/completions} sends the requests routed to one agent: an OpenAI-compatible
 * endpoint ({@code baseUrl + "/chat/completions"}), the model name it expects, and the environment
 * variable that holds its API key (sent as {@code Authorization: Bearer}).
 *
 * @param agent the agent's name in the policy
 * @param baseUrl e.g. {@code https://api.openai.com/v1}
 * @param model the upstream's model name
 * @param apiKeyEnv the environment variable of its key, or null for none
 */
public record Upstream(String agent, URI baseUrl, String model, String apiKeyEnv) {

  /** The chat completions endpoint. */
  public URI completions() {
    String b = baseUrl.toString();
    return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/chat/completions");
  }
}
