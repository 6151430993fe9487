/**
 * The vocabulary of NanoGPT's spend caps [pub]: a key's USD limit resets daily, weekly or monthly.
 * Set on the consent screen (browser sign-in) or by the minter of a downstream key.
 */

/** The period a key's USD spend cap resets on (`usageLimitType` on the wire). */
export type UsageLimitType = 'daily' | 'weekly' | 'monthly';
