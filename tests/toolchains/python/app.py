import sys, os, json, math

class Run:
    def run(self) -> None:
        print("hello from python", sys.version_info[:2] >= (3, 10))
        print("args:", sys.argv[1:])
        print("env:", sorted(k for k in os.environ if k.startswith("PY_")))
        data = {"pi": math.pi, "list": [1, 2.5, None, True, "ünï ✓"], "nested": {"a": []}}
        print(json.dumps(data, sort_keys=True))
        print(f"{1/3:.10f} {2**100} {math.factorial(30)}")
        base = sys.argv[1] if len(sys.argv) > 1 else None
        if base:
            p = os.path.join(base, "out.txt")
            with open(p, "w") as f:
                for i in range(100):
                    f.write(f"line {i}\n")
            with open(p) as f:
                lines = f.readlines()
            print("lines:", len(lines), lines[-1].strip())
            os.mkdir(os.path.join(base, "d"))
            os.rename(p, os.path.join(base, "d", "moved.txt"))
            print("listing:", sorted(os.listdir(base)), sorted(os.listdir(os.path.join(base, "d"))))
            print("size:", os.stat(os.path.join(base, "d", "moved.txt")).st_size)
            try:
                open(os.path.join(base, "missing.txt"))
            except FileNotFoundError as e:
                print("FileNotFoundError", e.errno)
            try:
                os.rmdir(os.path.join(base, "d"))
            except OSError as e:
                print("OSError", type(e).__name__, e.errno)
            os.remove(os.path.join(base, "d", "moved.txt"))
            os.rmdir(os.path.join(base, "d"))
            print("after cleanup:", sorted(os.listdir(base)))
        print("to stderr", file=sys.stderr)
        try:
            {}["missing"]
        except KeyError as e:
            print("caught KeyError", e)
        mode = sys.argv[2] if len(sys.argv) > 2 else ""
        if mode == "raise":
            raise ValueError("boom from python")
        if mode == "exit":
            sys.exit(3)
