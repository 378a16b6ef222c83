package org.defer4j.spark.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.defer4j.core.policy.LearnedPolicy;
import org.defer4j.io.PolicyArtifact;
import org.defer4j.spark.DeferralPolicyModel;

/** Loads {@code --policy}: a policy file, or a saved Spark ML model folder holding one. */
final class Policies {
  private Policies() {}

  static LearnedPolicy load(Path policy) throws IOException {
    Path inner = policy.resolve(DeferralPolicyModel.POLICY_FILE);
    return PolicyArtifact.load(Files.isDirectory(policy) ? inner : policy);
  }
}
