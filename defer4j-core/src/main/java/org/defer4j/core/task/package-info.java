/** Task specs: the task kind, classes, agents and cost weights (DESIGN.md §4). */
package org.defer4j.core.task;
