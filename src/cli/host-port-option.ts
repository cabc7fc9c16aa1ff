import { invalidOption, isPortText } from './number-option.js';

/** Where to connect: a host name or address and a port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * A `HOST:PORT` option value (`feed --tcp`): the port is what follows the last colon, 1..65535;
 * an IPv6 literal is written in brackets (`[::1]:5631`). Throws naming the option and the value.
 */
export function hostPortOption(name: string, text: string): HostPort {
  const colon = text.lastIndexOf(':');
  let host = colon < 0 ? '' : text.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = text.slice(colon + 1);
  if (host.length === 0 || !isPortText(port, 1)) {
    throw invalidOption(
      name,
      text,
      'HOST:PORT with a port in 1..65535 (e.g. ais.example.org:5631)',
    );
  }
  return { host, port: Number(port) };
}
