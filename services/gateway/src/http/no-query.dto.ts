/**
 * A route that takes no query parameters: with the global ValidationPipe (whitelist,
 * forbidNonWhitelisted) any parameter, such as an attempt to name another tenant, is a 400.
 */
export class NoQueryDto {}
