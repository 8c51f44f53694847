/*
 * A stand-in for Windows' bcryptprimitives.dll, for running the Windows
 * build under Wine in CI (.ci/run).
 *
 * Rust's standard library on Windows gets its random numbers (for the
 * keys of a HashMap, among others) from ProcessPrng in bcryptprimitives.dll.
 * Debian's Wine 8.0 has no such DLL, so every Rust program fails to start
 * under it, with status c0000135 ("a DLL was not found"). This one exports
 * ProcessPrng and fills the buffer from RtlGenRandom (SystemFunction036 in
 * advapi32), which Wine has. It is needed for as long as Debian's Wine
 * lacks ProcessPrng; it plays no part in the runtime or in any stage.
 *
 * Built by .ci/run with mingw:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Fills `length` bytes at `data` with random bytes; never fails on
 * Windows, and here only if RtlGenRandom does. RtlGenRandom takes a
 * 32-bit length, so a longer buffer is filled a piece at a time. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG piece = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, piece)) {
            return FALSE;
        }
        data += piece;
        length -= piece;
    }
    return TRUE;
}
