/**
 * The part of a `ws` WebSocket the picture uses (the `ws` package's types are not a dependency):
 * `bufferedAmount` is the bytes handed to the socket and not yet written to the kernel.
 */
export interface PictureSocket {
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}
