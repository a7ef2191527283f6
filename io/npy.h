// npy.h — NumPy's file formats, written by hand (they are small), for users whose next tool is Python:
// .npy = the magic "\x93NUMPY", version 1.0, a little-endian uint16 header length, a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (N, K), } padded with spaces to a multiple of 64 bytes,
// then the values as little-endian float32 in row-major order. .npz = a zip archive of .npy files, one per
// array (name.npy), stored without compression (np.load reads it as a dict of arrays).
// Both are written atomically (io/atomic_file.h). Format: numpy.lib.format, "NPY format version 1.0".
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

// The bytes of a .npy file holding t (its shape, up to 4 dimensions; values as float32).
std::string npy_bytes(const Tensor& t);
void save_npy(const std::string& path, const Tensor& t);

// A .npz of named arrays; names must be non-empty, unique, and hold no '/' (np.load's keys are the names).
void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& arrays);

}  // namespace tg
