#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/tensor/torch_pickle_file.h"
#include "core/tensor/zip_archive.h"

namespace benchtop::methyl::cpgpt {

/// The state dict of a PyTorch Lightning checkpoint (`model.ckpt`: a torch.save zip whose pickle holds
/// `{"epoch", "hyper_parameters", "state_dict", ...}`), read with the data-only pickle machine of
/// safe_pickle.h. Whatever `hyper_parameters` and the other entries hold (functools.partial, OmegaConf
/// objects, optimizer states) is parsed as data and ignored; nothing is executed. A plain state dict (tensors at
/// the top level) is accepted too. Torch-compiled names ("net._orig_mod.x") are stored as "net.x".
class LightningCheckpoint {
public:
    /// Throws benchtop::Error naming the file: not a zip, no data.pkl, hostile or malformed pickle, no
    /// `state_dict`, a state-dict entry that is not a tensor, missing or too small storages, views outside them.
    explicit LightningCheckpoint(const std::string& path);

    const std::string& path() const { return m_path; }
    /// Tensor names in the order the state dict stores them.
    const std::vector<std::string>& names() const { return m_names; }
    bool contains(const std::string& name) const { return m_index.count(name) != 0; }
    /// Throws benchtop::Error("<path>", "tensor 'x' not found.") when absent.
    const tensor::PickledTensor& info(const std::string& name) const;
    /// Number of entries of `hyper_parameters` that are objects of classes this reader does not know (kept
    /// as data, never constructed): what a test checks to see that foreign classes were skipped.
    int foreignObjects() const { return m_foreignObjects; }

private:
    std::string m_path;
    tensor::ZipArchive m_zip;
    std::vector<std::string> m_names;
    std::vector<tensor::PickledTensor> m_tensors;
    std::unordered_map<std::string, std::size_t> m_index;
    int m_foreignObjects = 0;
};

}  // namespace benchtop::methyl::cpgpt
