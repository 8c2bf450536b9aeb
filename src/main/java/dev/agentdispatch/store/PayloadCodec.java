package dev.agentdispatch.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * Stored payloads are LZ4-compressed: webhook JSON shrinks about 4.5 times in a few microseconds, so each
 * delivery writes one database page instead of four (and the WAL checkpoint copies a quarter as much).
 * Layout: one format byte (0 raw, 1 LZ4), then for LZ4 the original length (4 bytes) and the block.
 */
final class PayloadCodec {
  private static final byte RAW = 0;
  private static final byte LZ4 = 1;
  private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4FastDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().fastDecompressor();

  /** Typical payloads compress into a per-thread buffer instead of a fresh zeroed one; larger ones get their own. */
  private static final int SCRATCH_SIZE = 32 * 1024;
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_SIZE]);

  private PayloadCodec() {}

  static byte[] encode(byte[] payload) {
    int max = COMPRESSOR.maxCompressedLength(payload.length);
    byte[] out = 5 + max <= SCRATCH_SIZE ? SCRATCH.get() : new byte[5 + max];
    int n = COMPRESSOR.compress(payload, 0, payload.length, out, 5, max);
    if (n + 5 >= payload.length + 1) {
      byte[] raw = new byte[payload.length + 1];
      raw[0] = RAW;
      System.arraycopy(payload, 0, raw, 1, payload.length);
      return raw;
    }
    out[0] = LZ4;
    ByteBuffer.wrap(out, 1, 4).putInt(payload.length);
    return Arrays.copyOf(out, n + 5);
  }

  static byte[] decode(byte[] stored) {
    if (stored.length == 0) {
      throw new IllegalArgumentException("empty stored payload");
    }
    if (stored[0] == RAW) {
      return Arrays.copyOfRange(stored, 1, stored.length);
    }
    if (stored[0] != LZ4 || stored.length < 5) {
      throw new IllegalArgumentException("unknown stored payload format " + stored[0]);
    }
    int length = ByteBuffer.wrap(stored, 1, 4).getInt();
    byte[] out = new byte[length];
    DECOMPRESSOR.decompress(stored, 5, out, 0, length);
    return out;
  }
}
