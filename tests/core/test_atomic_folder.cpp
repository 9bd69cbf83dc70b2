// The atomic folder writer: what may be replaced, what is never removed, and
// that the destination always holds a whole folder, old or new.
#include "check.h"
#include "scratch_dir.h"
#include "core/atomic_folder.h"
#include "core/error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace fabula;
namespace fs = std::filesystem;

namespace {

using Scratch = fabula_test::ScratchDir;

void put(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

std::string get(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

void write_model(const fs::path& dest, bool overwrite, const std::string& weights) {
    AtomicFolderWriter w(dest, overwrite);
    put(w.dir() / "config.json", "{}");
    put(w.dir() / "model.safetensors", weights);
    w.commit("model", {{"steps", 3}});
}

size_t entries(const fs::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

} // namespace

TEST_CASE(new_folder_gets_the_files_and_a_marker) {
    Scratch s;
    write_model(s.path / "out", false, "v1");
    CHECK_EQ(get(s.path / "out" / "model.safetensors"), std::string("v1"));
    auto marker = nlohmann::json::parse(get(s.path / "out" / kFolderMarker));
    CHECK_EQ(marker["written_by"].get<std::string>(), std::string("Fabula"));
    CHECK_EQ(marker["kind"].get<std::string>(), std::string("model"));
    CHECK_EQ(marker["card"]["steps"].get<int>(), 3);
    CHECK_EQ(marker["files"].size(), size_t(2));
    CHECK_EQ(entries(s.path), size_t(1)); // no temporary sibling left
}

TEST_CASE(a_folder_with_the_writers_files_is_refused_and_untouched) {
    Scratch s;
    const fs::path models = s.path / "models";
    put(models / "novel.txt", "chapter one");
    put(models / "notes" / "plot.md", "twist");
    CHECK_THROWS_WITH(UsageError, write_model(models, false, "x"), "not empty");
    CHECK_THROWS_WITH(UsageError, write_model(models, true, "x"), "was not written by Fabula");
    CHECK_EQ(get(models / "novel.txt"), std::string("chapter one"));
    CHECK_EQ(get(models / "notes" / "plot.md"), std::string("twist"));
    CHECK_EQ(entries(models), size_t(2));
    CHECK_EQ(entries(s.path), size_t(1));
}

TEST_CASE(a_fabula_folder_needs_overwrite_and_is_swapped_whole) {
    for (bool exchange : {true, false}) {
        set_folder_exchange_disabled_for_tests(!exchange);
        Scratch s;
        const fs::path out = s.path / "out";
        write_model(out, false, "v1");
        put(out / "model-00002-of-00002.safetensors", "old shard"); // a Fabula file the new model lacks
        CHECK_THROWS_WITH(UsageError, write_model(out, false, "v2"), "--overwrite");
        CHECK_EQ(get(out / "model.safetensors"), std::string("v1"));
        write_model(out, true, "v2");
        CHECK_EQ(get(out / "model.safetensors"), std::string("v2"));
        CHECK(!fs::exists(out / "model-00002-of-00002.safetensors"));
        CHECK_EQ(entries(s.path), size_t(1));
    }
    set_folder_exchange_disabled_for_tests(false);
}

TEST_CASE(notes_beside_a_marked_model_survive_an_overwrite) {
    Scratch s;
    const fs::path out = s.path / "out";
    write_model(out, false, "v1");
    put(out / "README-mine.txt", "my notes");
    put(out / "samples" / "a.txt", "sample");
    write_model(out, true, "v2");
    CHECK_EQ(get(out / "model.safetensors"), std::string("v2"));
    CHECK_EQ(get(out / "README-mine.txt"), std::string("my notes"));
    CHECK_EQ(get(out / "samples" / "a.txt"), std::string("sample"));
    CHECK_EQ(entries(s.path), size_t(1));
}

TEST_CASE(an_unmarked_folder_of_model_files_may_be_overwritten) {
    Scratch s;
    const fs::path out = s.path / "hf";
    put(out / "config.json", "{}");
    put(out / "model.safetensors", "hf");
    put(out / "vocab.json", "{}");
    CHECK_EQ(int(inspect_destination(out)), int(FolderState::Fabula));
    write_model(out, true, "mine");
    CHECK_EQ(get(out / "model.safetensors"), std::string("mine"));
    CHECK(!fs::exists(out / "vocab.json"));
}

TEST_CASE(an_empty_folder_and_a_file_in_the_way) {
    Scratch s;
    fs::create_directories(s.path / "empty");
    write_model(s.path / "empty", false, "v1");
    CHECK_EQ(get(s.path / "empty" / "model.safetensors"), std::string("v1"));
    put(s.path / "file", "not a folder");
    CHECK_THROWS_WITH(UsageError, write_model(s.path / "file", true, "x"), "is not a folder");
    CHECK_EQ(get(s.path / "file"), std::string("not a folder"));
}

TEST_CASE(an_abandoned_writer_leaves_nothing_and_stale_temporaries_are_cleaned) {
    Scratch s;
    {
        AtomicFolderWriter w(s.path / "out", false);
        put(w.dir() / "model.safetensors", "half");
    } // no commit: as if the export failed
    CHECK_EQ(entries(s.path), size_t(0));

    // A writer killed mid-way leaves its temporary sibling; only such names
    // go, and only the files Fabula writes inside them.
    put(s.path / ".step-5.fabula-tmp-Ab12Cd" / "model.safetensors", "partial");
    put(s.path / ".step-5.fabula-tmp-Ab12Cd" / "config.json.tmp-12-34", "partial");
    put(s.path / ".step-6.fabula-tmp-Zz99Yy" / "diary.txt", "mine");
    put(s.path / "step-4" / "model.safetensors", "done");
    put(s.path / ".model.tmp" / "thing.bin", "someone's");
    CHECK_EQ(remove_stale_temporaries(s.path), 1);
    CHECK(!fs::exists(s.path / ".step-5.fabula-tmp-Ab12Cd"));
    CHECK_EQ(get(s.path / ".step-6.fabula-tmp-Zz99Yy" / "diary.txt"), std::string("mine"));
    CHECK_EQ(get(s.path / "step-4" / "model.safetensors"), std::string("done"));
    CHECK_EQ(get(s.path / ".model.tmp" / "thing.bin"), std::string("someone's"));
}

TEST_CASE(remove_fabula_folder_keeps_what_fabula_did_not_write) {
    Scratch s;
    put(s.path / "step-2" / "model.safetensors", "w");
    put(s.path / "step-2" / "trainer_state.json", "{}");
    put(s.path / "step-2" / "keep.txt", "mine");
    CHECK(!remove_fabula_folder(s.path / "step-2"));
    CHECK(!fs::exists(s.path / "step-2" / "model.safetensors"));
    CHECK_EQ(get(s.path / "step-2" / "keep.txt"), std::string("mine"));
}

TEST_CASE(an_unwritable_parent_is_a_file_error_naming_it) {
    if (::geteuid() == 0) return; // root writes anywhere; the CI runs as root
    Scratch s;
    fs::create_directories(s.path / "ro");
    fs::permissions(s.path / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THROWS_WITH(FileError, write_model(s.path / "ro" / "out", false, "x"), "ro");
}

TEST_CASE(file_names_fabula_writes) {
    CHECK(is_fabula_file_name("model-00001-of-00003.safetensors"));
    CHECK(is_fabula_file_name("tokenizer.model"));
    CHECK(is_fabula_file_name("adapter_model.safetensors"));
    CHECK(!is_fabula_file_name("model-1-of-3.safetensors"));
    CHECK(!is_fabula_file_name("novel.docx"));
    CHECK(is_temporary_folder_name(".out.fabula-tmp-a1B2c3"));
    CHECK(!is_temporary_folder_name("step-3"));
    CHECK(!is_temporary_folder_name(".out.fabula-tmp-"));
}

FABULA_TEST_MAIN
