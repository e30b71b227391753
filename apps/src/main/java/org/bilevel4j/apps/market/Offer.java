package org.bilevel4j.apps.market;

/**
 * One offer block: a generator's output range of {@code capacity} MW at {@code price} $/MWh.
 *
 * @param generator the generator's row in mpc.gen (0-based)
 * @param bus the generator's bus number
 * @param fuel the inferred fuel
 * @param price the offer price, $/MWh
 * @param capacity the block width, MW, positive
 */
public record Offer(int generator, int bus, Fuel fuel, double price, double capacity) {
}
