#!/usr/bin/env python3
"""Writes a tiny random-weight GGUF model with Qwen's tokenizer and chat template.

Only for the real-server suite (`npm run test:servers`): llama-server loads it in a second on a
CPU and answers in Qwen's chat format, so the route can be run against a real llama.cpp server.
Its answers are gibberish: Case's Stage 2 fails with it, and that is expected. An output bias on
the end-of-turn tokens makes it stop after about 15 tokens on average (12 requests: 2 to 45): the random weights alone
would never end a turn, and Case asks for up to a quarter of the window per answer.

Everything comes from the llama.cpp source the suite builds llama-server from: the `gguf-py`
package, the tokenizer in `models/ggml-vocab-qwen2.gguf` and a template from `models/templates/`.
Needs numpy (Debian's python3-numpy package, or pip's numpy).

Usage: make-tiny-model.py --source LLAMA_CPP_SRC --out FILE [--template NAME] [--context N]
"""

import argparse
import sys
from pathlib import Path

try:
    import numpy as np
except ImportError:
    sys.exit("make-tiny-model.py needs numpy: Debian's python3-numpy package, or pip's numpy")

N_EMBD = 64
N_HEAD = 4
N_HEAD_KV = 2
N_FF = 128
N_LAYER = 2

# Copied as they are from the vocabulary file: what makes llama.cpp tokenize as Qwen does.
TOKENIZER_KEYS = [
    "tokenizer.ggml.model",
    "tokenizer.ggml.pre",
    "tokenizer.ggml.tokens",
    "tokenizer.ggml.token_type",
    "tokenizer.ggml.merges",
    "tokenizer.ggml.eos_token_id",
    "tokenizer.ggml.padding_token_id",
    "tokenizer.ggml.bos_token_id",
]


def field_value(field):
    import gguf

    kind = field.types[0]
    if kind == gguf.GGUFValueType.STRING:
        return bytes(field.parts[field.data[0]]).decode("utf-8")
    if kind == gguf.GGUFValueType.ARRAY:
        item = field.types[1]
        if item == gguf.GGUFValueType.STRING:
            return [bytes(field.parts[i]).decode("utf-8", errors="surrogateescape") for i in field.data]
        return [int(field.parts[i][0]) for i in field.data]
    return int(field.parts[field.data[0]][0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, help="the llama.cpp source tree")
    parser.add_argument("--out", required=True)
    parser.add_argument("--template", default="Qwen-Qwen2.5-7B-Instruct.jinja")
    parser.add_argument("--context", type=int, default=32768, help="the model's trained context length")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--eos-bias", type=float, default=1.0, help="added to the end-of-turn logits")
    args = parser.parse_args()

    source = Path(args.source)
    sys.path.insert(0, str(source / "gguf-py"))
    import gguf

    vocab = gguf.GGUFReader(str(source / "models" / "ggml-vocab-qwen2.gguf"))
    template = (source / "models" / "templates" / args.template).read_text(encoding="utf-8")
    n_vocab = len(vocab.fields["tokenizer.ggml.tokens"].data)

    writer = gguf.GGUFWriter(args.out, "qwen2")
    writer.add_name("case-local-route tiny random qwen2")
    writer.add_context_length(args.context)
    writer.add_embedding_length(N_EMBD)
    writer.add_feed_forward_length(N_FF)
    writer.add_block_count(N_LAYER)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD_KV)
    writer.add_rope_freq_base(1_000_000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    for key in TOKENIZER_KEYS:
        field = vocab.fields[key]
        value = field_value(field)
        kind = field.types[0]
        if kind == gguf.GGUFValueType.ARRAY:
            writer.add_array(key, value)
        elif kind == gguf.GGUFValueType.STRING:
            writer.add_string(key, value)
        else:
            writer.add_uint32(key, value)
    writer.add_chat_template(template)

    rng = np.random.default_rng(args.seed)
    head_dim = N_EMBD // N_HEAD
    n_kv = head_dim * N_HEAD_KV

    def weights(*shape, dtype=np.float32):
        return (rng.standard_normal(shape) * 0.02).astype(dtype)

    # numpy shapes are ggml's reversed: ggml {n_embd, n_vocab} is (n_vocab, n_embd) here. The
    # output projection is tied to the embedding, which keeps the file at about 20 MB.
    writer.add_tensor("token_embd.weight", weights(n_vocab, N_EMBD, dtype=np.float16))
    writer.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    bias = np.zeros(n_vocab, dtype=np.float32)
    tokens = [bytes(vocab.fields["tokenizer.ggml.tokens"].parts[i]).decode("utf-8", errors="replace") for i in vocab.fields["tokenizer.ggml.tokens"].data]
    for end in ("<|endoftext|>", "<|im_end|>"):
        if end in tokens:
            bias[tokens.index(end)] = args.eos_bias
    writer.add_tensor("output.bias", bias)
    for i in range(N_LAYER):
        writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.attn_q.weight", weights(N_EMBD, N_EMBD))
        writer.add_tensor(f"blk.{i}.attn_k.weight", weights(n_kv, N_EMBD))
        writer.add_tensor(f"blk.{i}.attn_v.weight", weights(n_kv, N_EMBD))
        writer.add_tensor(f"blk.{i}.attn_q.bias", np.zeros(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.attn_k.bias", np.zeros(n_kv, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.attn_v.bias", np.zeros(n_kv, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.attn_output.weight", weights(N_EMBD, N_EMBD))
        writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        writer.add_tensor(f"blk.{i}.ffn_gate.weight", weights(N_FF, N_EMBD))
        writer.add_tensor(f"blk.{i}.ffn_up.weight", weights(N_FF, N_EMBD))
        writer.add_tensor(f"blk.{i}.ffn_down.weight", weights(N_EMBD, N_FF))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()
