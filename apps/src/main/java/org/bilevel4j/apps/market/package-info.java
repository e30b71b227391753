/**
 * Regularized market clearing on MATPOWER cases: the case reader ({@link
 * org.bilevel4j.apps.market.MatpowerReader}), offers and loads ({@link
 * org.bilevel4j.apps.market.MarketData}), the bilevel model ({@link
 * org.bilevel4j.apps.market.MarketModel}), the exact reference ({@link
 * org.bilevel4j.apps.market.MarketReference}) and the metrics ({@link
 * org.bilevel4j.apps.market.MarketMetrics}). See docs/market.md.
 */
package org.bilevel4j.apps.market;
