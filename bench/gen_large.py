#!/usr/bin/env python3
"""Writes a large C program (many functions of mixed shape) for the compile-time benchmark."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
rng = random.Random(7)
out = ["static unsigned mem[4096];", "typedef unsigned (*fp)(unsigned, unsigned);"]
for i in range(n):
    body = []
    for k in range(rng.randint(3, 12)):
        op = rng.choice(["+", "^", "*", "-", "|"])
        body.append(f"  a = (a {op} {rng.randint(1, 1 << 20)}u) + (b >> {rng.randint(1, 9)});")
        if rng.random() < 0.4:
            body.append(f"  for (unsigned j = 0; j < (b & 15); j++) mem[(a + j) & 4095] += a * {k + 1}u;")
        if rng.random() < 0.3 and i > 0:
            body.append(f"  if (a & {1 << rng.randint(0, 12)}u) b = f{rng.randrange(i)}(b, a);")
        if rng.random() < 0.2:
            body.append("  switch (a & 7) { case 0: b++; break; case 1: b ^= a; break; "
                        "case 2: b *= 3; break; case 5: b -= a; break; default: b += 7; }")
        if rng.random() < 0.2:
            body.append(f"  {{ double d = (double)a * {rng.random():.6f}; b += (unsigned)(d / 3.0); }}")
    out.append(f"__attribute__((noinline)) unsigned f{i}(unsigned a, unsigned b) {{")
    out += body
    out.append("  return a ^ b;\n}")
out.append(f"static fp table[] = {{ {', '.join(f'f{i}' for i in range(0, n, max(1, n // 64)))} }};")
out.append("__attribute__((export_name(\"_start\"))) void _start(void) {")
out.append("  unsigned acc = 0;")
out.append("  for (unsigned i = 0; i < 64; i++) acc = table[i % (sizeof table / sizeof *table)](acc, i);")
out.append("  mem[0] = acc;\n}")
print("\n".join(out))
