/** A route that takes no query parameters: any is refused (whitelist, forbidNonWhitelisted). */
export class NoQueryDto {}
