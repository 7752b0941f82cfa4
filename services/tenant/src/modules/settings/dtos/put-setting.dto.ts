import { Allow } from 'class-validator';

/** `{ "value": <any JSON> }`; the value's size is checked by the command. */
export class PutSettingDto {
  @Allow()
  value?: unknown;
}
