// checkpoint.h — save and load everything a training run needs to resume, or a model needs to be applied:
// named tensors (parameters, BatchNorm running statistics, optimizer state) and a few text entries (model
// kind, architecture, epoch, RNG state, flags). Saving is atomic: after a crash, even SIGKILL, the file is
// the old complete checkpoint or the new complete one, never a torn one. Loading checks every count and
// length against the file before allocating, and names what is wrong, and the fix, in one line.
// Byte layout, how resume uses it, and every error message: docs/checkpoints.md
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "autograd/tape.h"

namespace tg {

struct Checkpoint {
    // Text entries in insertion order, unique keys: "model"="vae", "arch"="784-400-20", "epoch"="3",
    // "rng"="1234567" (an Rng's state as a decimal number).
    std::vector<std::pair<std::string, std::string>> meta;
    // Tensors in insertion order, unique names: "encoder.fc1.weight", "adam.m.encoder.fc1.weight", "adam.t".
    std::vector<std::pair<std::string, Tensor>> tensors;
    std::string path;  // the file it was loaded from ("" if built in memory), for messages

    void set(const std::string& key, const std::string& value);  // replaces the value if the key exists
    std::string get(const std::string& key) const;               // input_error naming key and file if missing
    bool has(const std::string& key) const;

    void put(const std::string& name, const Tensor& t);          // replaces the tensor if the name exists
    const Tensor& tensor(const std::string& name) const;         // input_error naming it and a few present ones
    bool has_tensor(const std::string& name) const;
};

// Writes `path.tmp.<pid>` beside `path`, fsyncs it, renames it over `path`, then fsyncs the directory.
// On failure (directory missing or not writable, disk full) throws tg::Error naming the path and the fix,
// removes the temp file, and leaves any previous checkpoint at `path` untouched. Tensors are stored in
// this build's precision (4-byte float, or 8-byte double with -DTAPEGRAD_DOUBLE).
void save_checkpoint(const std::string& path, const Checkpoint& ck);

// Reads and checks a checkpoint; values are converted to this build's `real` if the file was written by
// the other precision. Bad files (wrong magic, newer format, truncated, corrupt) are input_errors.
Checkpoint load_checkpoint(const std::string& path);

// Copy a stored tensor into a live one of the same shape. A missing tensor or a different shape is an
// input_error naming the tensor and both shapes.
void restore_tensor(const Checkpoint& ck, const std::string& name, Tensor& into);

// Params by their names: values only (gradients are not saved). store_params rejects empty or repeated
// names (they would collide in the file); restore_params checks every shape.
void store_params(Checkpoint& ck, const std::vector<Param*>& params);
void restore_params(const Checkpoint& ck, const std::vector<Param*>& params);

}  // namespace tg
