/**
 * A message framed once for all its receivers (issue 10). A card edit goes to the 29 other phones
 * of a board and a presence batch to all 30; through `ws.send` each of those sends builds its own
 * frame header, option objects and two socket writes. Here the websocket frame (RFC 6455 §5.2: a
 * final binary frame, unmasked as a server's are) is built once per message, the payload copied in
 * behind the header, and each socket is written that one buffer.
 *
 * Only for a server socket without extensions (the realtime server turns `perMessageDeflate` off):
 * then `ws` writes every frame straight to the socket as well, so frames written here and by `ws`
 * (pings, the close frame) keep their order.
 */

const frames = new WeakMap<Uint8Array, Buffer>();

/** The final, unmasked binary frame carrying `message` (built once per message object). */
export function frameOf(message: Uint8Array): Buffer {
	let frame = frames.get(message);
	if (frame) return frame;
	const length = message.byteLength;
	// Payload length: 7 bits, or 126 and 16 bits, or 127 and 64 bits (network byte order).
	const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
	frame = Buffer.allocUnsafe(header + length);
	frame[0] = 0x82; // FIN, opcode 2 (binary)
	if (header === 2) frame[1] = length;
	else if (header === 4) {
		frame[1] = 126;
		frame.writeUInt16BE(length, 2);
	} else {
		frame[1] = 127;
		frame.writeBigUInt64BE(BigInt(length), 2);
	}
	frame.set(message, header);
	frames.set(message, frame);
	return frame;
}
