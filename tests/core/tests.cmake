# Qt-free tests of core/ and training/. Each block belongs to one area.

# The file parsers (no libtorch, no Qt) built once more with AddressSanitizer
# and UBSan; the parser tests below run against both builds.
if(FABULA_SANITIZE_PARSERS)
  fabula_add_files_library(fabula_files_asan)
  target_compile_options(fabula_files_asan PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=all)
  target_link_options(fabula_files_asan PUBLIC -fsanitize=address,undefined)
endif()

# ---- fabula_data: story reader, token cache, dataset ------------------------
fabula_add_core_test(test_dataset SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dataset.cpp LIBS fabula_data)
# The story reader parses whatever files the writer points it at.
if(FABULA_SANITIZE_PARSERS)
  fabula_add_data_library(fabula_data_asan fabula_files_asan)
  fabula_add_core_test(test_dataset_asan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dataset.cpp LIBS fabula_data_asan)
endif()
# ---- end fabula_data --------------------------------------------------------

# ---- fabula_store: drafts, revisions, models, continuations, ratings --------
# The writer is a separate process so the durability test can kill -9 it.
add_executable(fabula-store-writer ${CMAKE_CURRENT_LIST_DIR}/store_writer_tool.cpp)
target_link_libraries(fabula-store-writer PRIVATE fabula_store)
fabula_add_core_test(test_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store.cpp LIBS fabula_store)
# Blind A/B: Wilson intervals and per-pairing counts for the comparison view.
fabula_add_core_test(test_ab_stats SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_ab_stats.cpp LIBS fabula_store)
fabula_add_core_test(test_store_migrations SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store_migrations.cpp
                     LIBS fabula_store)
# Series, memory, author's note and lorebook per draft and series; the story JSON file.
fabula_add_core_test(test_store_story SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store_story.cpp
                     LIBS fabula_store fabula_files)
fabula_add_core_test(test_store_durability SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_store_durability.cpp
                     LIBS fabula_store)
target_compile_definitions(test_store_durability PRIVATE
                           FABULA_STORE_WRITER="$<TARGET_FILE:fabula-store-writer>")
add_dependencies(test_store_durability fabula-store-writer)
# The feedback sets from a store file, and fabula-cli feedback export on it.
fabula_add_core_test(test_feedback_export SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_feedback_export.cpp
                     LIBS fabula_feedback)
add_dependencies(test_feedback_export fabula-cli)
# ---- end fabula_store -------------------------------------------------------

# ---- fabula_files: model file parsers (plain and sanitized) -----------------
fabula_add_core_test(test_model_files SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_model_files.cpp LIBS fabula_files)
if(FABULA_SANITIZE_PARSERS)
  fabula_add_core_test(test_model_files_asan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_model_files.cpp
                       LIBS fabula_files_asan)
endif()
fabula_add_core_test(test_atomic_folder SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_atomic_folder.cpp LIBS fabula_files)
# A writer's text file: the BOM, line endings, binary and non-UTF-8 files (core/text_file.h).
fabula_add_core_test(test_text_file SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_text_file.cpp LIBS fabula_files)
if(FABULA_SANITIZE_PARSERS)
  fabula_add_core_test(test_text_file_asan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_text_file.cpp
                       LIBS fabula_files_asan)
endif()
# The prompt builder and the lorebook files (core/prompt_builder.h, core/lorebook.h).
fabula_add_core_test(test_prompt_builder SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_prompt_builder.cpp LIBS fabula_files)
fabula_add_core_test(test_lorebook SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_lorebook.cpp LIBS fabula_files)
if(FABULA_SANITIZE_PARSERS)
  fabula_add_core_test(test_lorebook_asan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_lorebook.cpp LIBS fabula_files_asan)
  fabula_add_core_test(test_prompt_builder_asan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_prompt_builder.cpp
                       LIBS fabula_files_asan)
endif()
# ---- end fabula_files -------------------------------------------------------

# ---- tokenizer: UTF-8, pre-tokenizer, byte-level BPE, streaming decode ------
# The tool runs the tokenizer over whole JSONL files for the Python tests
# (tests/python/test_tokenizer.py) and the benchmark (bench/bench_tokenizer.py).
add_executable(fabula-tokenize-tool ${CMAKE_CURRENT_LIST_DIR}/tokenize_tool.cpp)
target_link_libraries(fabula-tokenize-tool PRIVATE fabula_files)
target_compile_options(fabula-tokenize-tool PRIVATE -Wall -Wextra)
fabula_add_core_test(test_tokenizer SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_tokenizer.cpp
                     LIBS fabula_files Threads::Threads)
if(FABULA_SANITIZE_PARSERS)
  fabula_add_core_test(test_tokenizer_asan SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_tokenizer.cpp
                       LIBS fabula_files_asan Threads::Threads)
endif()
# ---- end tokenizer ----------------------------------------------------------

# ---- fabula_engine: the generation API ---------------------------------------
fabula_add_core_test(test_generator SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_generator.cpp LIBS fabula_engine)
target_compile_definitions(test_generator PRIVATE FABULA_PYTHON="${FABULA_PYTHON}"
                           FABULA_SOURCE="${PROJECT_SOURCE_DIR}")
# Decoding's kernels, each one this CPU can run plus the portable fallback.
fabula_add_core_test(test_int8_kernels SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_int8_kernels.cpp
                     LIBS fabula_engine ${TORCH_LIBRARIES})
fabula_add_core_test(test_gemv_kernels SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gemv_kernels.cpp
                     LIBS fabula_engine ${TORCH_LIBRARIES})
# ---- end fabula_engine -------------------------------------------------------

# ---- fabula_training: the fused output layer and loss -----------------------
fabula_add_core_test(test_fused_loss SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_fused_loss.cpp
                     LIBS fabula_training ${TORCH_LIBRARIES})
# Training's dropout and attention with dropout (core/nn.cpp).
fabula_add_core_test(test_dropout SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dropout.cpp
                     LIBS fabula_engine ${TORCH_LIBRARIES})
# The distributed seam: ranks as child processes forming a Gloo group on 127.0.0.1.
fabula_add_core_test(test_distributed SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_distributed.cpp
                     LIBS fabula_training ${TORCH_LIBRARIES})
set_tests_properties(test_distributed PROPERTIES TIMEOUT 120)
# ---- end fabula_training -----------------------------------------------------
