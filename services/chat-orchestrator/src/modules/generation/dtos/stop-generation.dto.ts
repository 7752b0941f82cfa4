/** `{}` or no body: any field is refused (whitelist, forbidNonWhitelisted). */
export class StopGenerationDto {}
