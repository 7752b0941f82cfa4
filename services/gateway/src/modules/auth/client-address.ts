import type { IncomingMessage } from 'node:http';

/**
 * The client address of a raw request (the WebSocket upgrade, which Express does not see) by the
 * same rule as Express' `trust proxy` = TRUST_PROXY_HOPS: the socket address, or the entry of
 * X-Forwarded-For that many hops back; entries a client added beyond them are ignored.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string | undefined {
  const socket = req.socket.remoteAddress;
  if (trustedHops === 0) return socket;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const chain = [socket, ...forwarded];
  return chain[Math.min(trustedHops, chain.length - 1)];
}
