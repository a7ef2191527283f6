// tapegrad_export.cpp — a checkpoint's tensors for Python: every tensor of a tapegrad checkpoint (a trained
// model, a reduce/compare model, a run with its optimizer state) into one NumPy .npz, by name.
//   build/tapegrad_export out/vae/model.ckpt vae.npz
//   python3 -c "import numpy as np; w = np.load('vae.npz'); print(list(w))"
// The checkpoint's text entries (model, arch, flags...) are printed, not stored: a .npz holds arrays only.
#include <cstdio>
#include <cstring>

#include "io/checkpoint.h"
#include "io/npy.h"

using namespace tg;

int main(int argc, char** argv) try {
    const char* usage = "usage: tapegrad_export MODEL.ckpt OUT.npz\n"
                        "Writes every tensor of a tapegrad checkpoint to a NumPy .npz, by name (np.load(OUT)[name]).\n"
                        "  --help  print this help\n";
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "error: expected a checkpoint and an output file\n%s", usage);
        return EXIT_BAD_INPUT;
    }
    const std::string in = argv[1], out = argv[2];
    const Checkpoint ck = load_checkpoint(in);
    if (ck.tensors.empty()) throw input_error(in + " holds no tensors; nothing to export");
    save_npz(out, ck.tensors);
    size_t values = 0;
    for (const auto& t : ck.tensors) values += t.second.size();
    for (const auto& m : ck.meta)
        if (m.first != "flags") printf("  %s = %s\n", m.first.c_str(), m.second.size() > 60 ? (m.second.substr(0, 57) + "...").c_str() : m.second.c_str());
    printf("wrote %zu tensors (%zu values, float32) from %s to %s\n", ck.tensors.size(), values, in.c_str(), out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
