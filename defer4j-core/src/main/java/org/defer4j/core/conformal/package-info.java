/**
 * Conformal deferral (survey §7.4): a rejector that says when it is unsure. {@link
 * org.defer4j.core.conformal.ConformalDeferral} is the uncertain rejector of Fang &amp; Nalisnick
 * (sets over {model, expert} covering the expert's correctness, with abstention and consensus
 * workflows, studied over random splits by {@link org.defer4j.core.conformal.ConformalStudy});
 * {@link org.defer4j.core.conformal.ConformalEnsemble} the conformal expert ensembles of Verma et
 * al. with their risk-control variant. All sets are expressed as {@link
 * org.defer4j.core.policy.Decision}s of kind SET.
 */
package org.defer4j.core.conformal;
