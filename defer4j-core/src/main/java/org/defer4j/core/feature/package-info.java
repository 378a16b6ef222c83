/**
 * The feature pipeline that travels with a policy: features matched by name, derived blocks (the
 * frozen model's probabilities, text), standardisation fitted on the training table.
 */
package org.defer4j.core.feature;
