using System.Runtime.InteropServices;
using System.Text;
using Mooring.State;

namespace Mooring.Logging;

/// <summary>The process's stdout and stderr as text writers, written with <c>write(2)</c> instead of
/// <see cref="Console"/>.</summary>
/// <remarks>
/// <para>
/// System.Console brings terminal support (terminfo, colours, signal handling for a terminal) that a plugin never uses:
/// dockerd reads its output through pipes. Without it a NativeAOT plugin is about 70 KB smaller (docs/footprint.md).
/// </para>
/// <para>
/// What the console does is kept: every write reaches the descriptor at once (no buffer to lose in a crash), one writer
/// at a time, at the descriptor's current offset (stdout may be a file opened without O_APPEND), and a write that fails
/// (a closed pipe: nobody reads the log any more) is dropped rather than thrown, so logging never fails a request.
/// </para>
/// </remarks>
internal static class StandardStreams
{
    private static readonly TextWriter Stdout = Create(1);
    private static readonly TextWriter Stderr = Create(2);
    private static TextWriter? s_out;
    private static TextWriter? s_error;

    /// <summary>Standard output, or what <see cref="Redirect"/> put in its place.</summary>
    public static TextWriter Out => Volatile.Read(ref s_out) ?? Stdout;

    /// <summary>Standard error, or what <see cref="Redirect"/> put in its place.</summary>
    public static TextWriter Error => Volatile.Read(ref s_error) ?? Stderr;

    /// <summary>Sends <see cref="Out"/> and <see cref="Error"/> elsewhere until the result is disposed (tests).</summary>
    public static IDisposable Redirect(TextWriter output, TextWriter error)
    {
        Volatile.Write(ref s_out, output);
        Volatile.Write(ref s_error, error);
        return new Restore();
    }

    /// <summary>A writer of the same kind over another descriptor (tests).</summary>
    internal static TextWriter Create(int descriptor) =>
        TextWriter.Synchronized(new StreamWriter(new DescriptorStream(descriptor), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1024)
        {
            AutoFlush = true,
        });

    private sealed class Restore : IDisposable
    {
        public void Dispose()
        {
            Volatile.Write(ref s_out, null);
            Volatile.Write(ref s_error, null);
        }
    }

    private sealed class DescriptorStream(int descriptor) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                var written = Libc.Write(descriptor, buffer);
                if (written > 0)
                {
                    buffer = buffer[(int)written..];
                }
                else if (written < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR)
                {
                    continue;
                }
                else
                {
                    return; // EPIPE, EBADF, a full non-blocking pipe (EAGAIN), a full disk: the line is dropped
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
