# pytest files, one ctest entry each. Each block belongs to one area.

# ---- engine: model files, logits, sampling, generation ----------------------
fabula_add_pytest(test_engine.py)
fabula_add_pytest(test_model_files.py)
fabula_add_pytest(test_cli_tokenize.py)
fabula_add_pytest(test_cli.py)
fabula_add_pytest(test_training.py)
fabula_add_pytest(test_train_events.py)
fabula_add_pytest(test_objectives.py)
fabula_add_pytest(test_model_memory.py)
fabula_add_pytest(test_family_neo_j.py)
fabula_add_pytest(test_family_llama.py)
fabula_add_pytest(test_family_llama_sentencepiece.py)
fabula_add_pytest(test_lora.py)
# int8 weights: quality against fp32 on a GPT-2 trained in the test, every family, LoRA on top, memory.
fabula_add_pytest(test_int8.py)
fabula_add_pytest(test_feedback_loop.py)
# --export-job: the job run by accelerate (2 CPU processes) against Fabula's own run, its refusals.
fabula_add_pytest(test_export_job.py)
# Long stories through generate: --prompt-file, memory, author's note, lore, --json's parts.
fabula_add_pytest(test_long_stories.py)
# Data-parallel training under torchrun (Gloo on 127.0.0.1): two ranks equal one process with their batch.
fabula_add_pytest(test_distributed.py TIMEOUT 900)
# fabula-cli train --nproc-per-node: the CLI as its own torchrun --standalone.
fabula_add_pytest(test_launch.py TIMEOUT 600)
# ---- end engine -------------------------------------------------------------

# ---- tokenizer: token-for-token equality with Hugging Face ------------------
fabula_add_pytest(test_tokenizer.py)
set_property(TEST py_test_tokenizer APPEND PROPERTY ENVIRONMENT
             "FABULA_TOKENIZE_TOOL=$<TARGET_FILE:fabula-tokenize-tool>")
# SentencePiece and tokenizer.json folders, trained in the test, against AutoTokenizer.
fabula_add_pytest(test_tokenizer_families.py)
set_property(TEST py_test_tokenizer_families APPEND PROPERTY ENVIRONMENT
             "FABULA_TOKENIZE_TOOL=$<TARGET_FILE:fabula-tokenize-tool>")
# ---- end tokenizer ----------------------------------------------------------
