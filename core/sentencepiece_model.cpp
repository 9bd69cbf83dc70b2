#include "core/sentencepiece_model.h"

#include <sentencepiece_processor.h>

#include "core/error.h"
#include "core/json_file.h"

namespace fabula {
namespace {

// Just enough of the protobuf wire format to read the pieces and to swap the
// normalizer: libsentencepiece-dev ships no generated headers for the proto.
struct Wire {
    std::string_view s;
    size_t pos = 0;
    bool ok = true;

    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= s.size()) {
                ok = false;
                return 0;
            }
            const auto b = static_cast<unsigned char>(s[pos++]);
            v |= static_cast<uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        ok = false;
        return 0;
    }

    // Reads one field; value is its bytes (length-delimited) and number its varint.
    bool field(uint32_t& tag, std::string_view& value, uint64_t& number) {
        if (pos >= s.size()) return false;
        const uint64_t key = varint();
        tag = static_cast<uint32_t>(key >> 3);
        switch (key & 7) {
        case 0: number = varint(); break;
        case 1: skip(8); break;
        case 2: {
            const uint64_t n = varint();
            if (!ok || n > s.size() - pos) {
                ok = false;
                return false;
            }
            value = s.substr(pos, n);
            pos += n;
            break;
        }
        case 5: skip(4); break;
        default: ok = false;
        }
        return ok;
    }

    void skip(size_t n) {
        if (n > s.size() - pos)
            ok = false;
        else
            pos += n;
    }
};

void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

} // namespace

struct SentencePieceModel::Impl {
    sentencepiece::SentencePieceProcessor sp;
};

SentencePieceModel::SentencePieceModel() : impl_(std::make_unique<Impl>()) {}
SentencePieceModel::~SentencePieceModel() = default;

std::unique_ptr<SentencePieceModel> SentencePieceModel::load(const std::filesystem::path& file) {
    return from_bytes(read_file(file), file.string());
}

std::unique_ptr<SentencePieceModel> SentencePieceModel::from_bytes(std::string_view bytes, const std::string& name) {
    std::unique_ptr<SentencePieceModel> m(new SentencePieceModel());
    // ModelProto: 1 pieces, 2 trainer_spec, 3 normalizer_spec, 4 self_test_data,
    // 5 denormalizer_spec. The normalizer is replaced and the self test (which
    // checks the old normalizer's output) dropped.
    std::string rewritten;
    rewritten.reserve(bytes.size());
    Wire w{bytes};
    size_t start = 0;
    uint32_t tag;
    std::string_view value;
    uint64_t number = 0;
    int model_type = 1;
    while (w.field(tag, value, number)) {
        if (tag == 1) {
            Piece p{std::string(), Type::Normal};
            Wire pw{value};
            uint32_t ptag;
            std::string_view pvalue;
            uint64_t pnumber = 0;
            while (pw.field(ptag, pvalue, pnumber)) {
                if (ptag == 1) p.text = std::string(pvalue);
                if (ptag == 3) p.type = static_cast<Type>(static_cast<int>(pnumber));
            }
            if (!pw.ok) break;
            m->pieces_.push_back(std::move(p));
        }
        if (tag == 2) {
            // TrainerSpec.model_type (field 3): UNIGRAM = 1 (the default), BPE = 2.
            Wire tw{value};
            uint32_t ttag;
            std::string_view tvalue;
            uint64_t tnumber = 0;
            while (tw.field(ttag, tvalue, tnumber))
                if (ttag == 3) model_type = static_cast<int>(tnumber);
        }
        if (tag != 3 && tag != 4 && tag != 5) rewritten.append(bytes.substr(start, w.pos - start));
        start = w.pos;
    }
    if (!w.ok || m->pieces_.empty())
        throw FileError(name, "is not a SentencePiece model (no pieces could be read from it)");
    // transformers 5 turns every tokenizer.model into a BPE with merges made
    // from the vocabulary; for a BPE model that is what SentencePiece does,
    // for the others (unigram, word, char) it is not, so they are refused.
    if (model_type != 2)
        throw FileError(name, std::string("is a SentencePiece ") +
                                  (model_type == 1 ? "unigram" : model_type == 3 ? "word" : "char") +
                                  " model; only BPE models (Llama 2, Mistral, TinyLlama) are supported, because "
                                  "transformers 5 converts the others to BPE and tokenizes them differently");
    std::string spec;
    spec += '\x0A';
    put_varint(spec, 8);
    spec += "identity";
    spec += std::string("\x18\x00\x20\x00\x28\x01", 6); // no dummy prefix, keep spaces, escape them
    rewritten += '\x1A';
    put_varint(rewritten, spec.size());
    rewritten += spec;

    const auto status = m->impl_->sp.LoadFromSerializedProto(rewritten);
    if (!status.ok()) throw FileError(name, std::string("SentencePiece cannot load it: ") + status.ToString());
    if (static_cast<size_t>(m->impl_->sp.GetPieceSize()) != m->pieces_.size())
        throw FileError(name, "SentencePiece reads a different number of pieces than the file lists");
    m->unk_id_ = m->impl_->sp.unk_id();
    m->bos_id_ = m->impl_->sp.bos_id();
    m->eos_id_ = m->impl_->sp.eos_id();
    return m;
}

void SentencePieceModel::encode(std::string_view text, std::vector<int32_t>& out) const {
    std::vector<int> ids;
    const auto status = impl_->sp.Encode(text, &ids);
    if (!status.ok()) throw std::runtime_error("SentencePiece could not encode a text: " + status.ToString());
    out.insert(out.end(), ids.begin(), ids.end());
}

} // namespace fabula
