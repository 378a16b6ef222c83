/**
 * Text features for deferral tables: a raw text column (the task spec's {@code text:} key) becomes
 * d hashed TF-IDF features {@code x.text_0000 .. x.text_<d−1>}.
 *
 * <p>{@link org.defer4j.io.text.TextFeaturizer} tokenises with Lucene analysis (StandardTokenizer,
 * LowerCaseFilter, optional English stop words, word n-grams by ShingleFilter, optional character
 * n-grams), hashes each term with {@link org.defer4j.io.text.MurmurHash3} into d signed buckets
 * (Weinberger et al. 2009), and weights buckets by (sublinear) tf times the smoothed IDF of
 * scikit-learn, fitted on training texts only, before L2 normalisation. The fitted featurizer's
 * whole state is a {@link org.defer4j.io.text.TextFeaturizerState}, which artifacts save so that a
 * routed text gets the same features bit for bit. {@link org.defer4j.io.text.TextFeatures} appends
 * the features to a {@link org.defer4j.core.data.DeferralTable}.
 */
package org.defer4j.io.text;
