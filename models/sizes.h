// sizes.h — layer sizes as text, one way for every model: "500,250,30" (a flag) or "784-500-250-30" (a
// checkpoint's arch) to {500, 250, 30} / {784, 500, 250, 30}, and back to the dash form. The MLP, the
// GAN, the DBN and the reducers' --hidden all read their sizes here, so they accept and refuse alike.
#pragma once
#include <string>
#include <vector>

namespace tg {

// Sizes separated by ',' or '-', each a whole number in [1, 2^20]; anything else is an input_error naming
// `what` (the flag, or the checkpoint) and the offending item: "--hidden: '0' is not a positive layer size…".
std::vector<int> parse_sizes(const std::string& text, const std::string& what);
std::string sizes_str(const std::vector<int>& sizes);  // {784, 500, 30} -> "784-500-30"

}  // namespace tg
