/** Injection token of the Stripe client (null while billing is off). */
export const STRIPE = Symbol('STRIPE');
