/** Test helpers: NMEA sentences and tag blocks with correct checksums. */

function checksumHex(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** `!` + body + `*hh`, body like `AIVDM,1,1,,A,<payload>,0`. */
export function sentence(body: string): string {
  return `!${body}*${checksumHex(body)}`;
}

/** `\` + body + `*hh\`, body like `s:station,c:1733782034`. */
export function tagBlock(body: string): string {
  return `\\${body}*${checksumHex(body)}\\`;
}

/** `$` + body + `*hh`. */
export function dollar(body: string): string {
  return `$${body}*${checksumHex(body)}`;
}

/** Known-good single-sentence messages (gpsd sample.aivdm), for structural tests. */
export const TYPE1 = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
export const TYPE1_PAYLOAD = '15RTgt0PAso;90TKcjM8h6g208CQ';
export const TYPE5_PART1_PAYLOAD = '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8';
export const TYPE5_PART2_PAYLOAD = '88888888880';
