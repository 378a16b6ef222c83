/** In-memory, columnar deferral tables: features, truth and each agent's recorded outputs. */
package org.defer4j.core.data;
