"""Tiny translation models built on the spot, so that engine tests need neither a hub nor a download.

Each builder trains a sentencepiece model on a few KB of text, creates a model of the real
architecture (Marian, M2M100) with random weights and a handful of dimensions, and writes it with
`save_pretrained`, exactly the files a hub repository holds. The engines then load these directories
through the code path users take. `install_in_hf_cache` lays a directory out as the Hugging Face cache
does (`hub/models--ORG--NAME/snapshots/REV/` plus `refs/main`), for loading by hub id offline.

The models translate nothing meaningful: tests check plumbing (routing, codes, order, splitting,
caching, conversion) and that two engines agree, never translation quality.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# A few KB of made-up news sentences in four languages: enough for a 200-piece sentencepiece model.
CORPUS = """\
The minister said on Tuesday that the talks with the council would continue next week.
Der Minister sagte am Dienstag, dass die Gespräche mit dem Rat nächste Woche weitergehen.
Le ministre a déclaré mardi que les discussions avec le conseil se poursuivraient la semaine prochaine.
O ministro disse na terça-feira que as conversas com o conselho continuariam na próxima semana.
The Kremlin spokesman rejected the report and called it a provocation by foreign media.
Der Kremlsprecher wies den Bericht zurück und nannte ihn eine Provokation ausländischer Medien.
Le porte-parole du Kremlin a rejeté le rapport et l'a qualifié de provocation des médias étrangers.
O porta-voz do Kremlin rejeitou o relatório e chamou-o de provocação da imprensa estrangeira.
Thousands of people gathered in the square to protest against the new law on elections.
Tausende Menschen versammelten sich auf dem Platz, um gegen das neue Wahlgesetz zu protestieren.
Des milliers de personnes se sont rassemblées sur la place pour protester contre la nouvelle loi.
Milhares de pessoas reuniram-se na praça para protestar contra a nova lei eleitoral.
The central bank raised interest rates for the third time this year to fight inflation.
Die Zentralbank erhöhte zum dritten Mal in diesem Jahr die Zinsen, um die Inflation zu bekämpfen.
La banque centrale a relevé ses taux pour la troisième fois cette année contre l'inflation.
O banco central aumentou os juros pela terceira vez este ano para combater a inflação.
Heavy rain caused floods in the north of the country, and several roads were closed.
Starker Regen verursachte Überschwemmungen im Norden des Landes, mehrere Straßen wurden gesperrt.
De fortes pluies ont provoqué des inondations dans le nord du pays et plusieurs routes sont fermées.
Chuvas fortes causaram inundações no norte do país e várias estradas foram fechadas.
The company announced that it would cut two thousand jobs by the end of the year.
Das Unternehmen kündigte an, bis Ende des Jahres zweitausend Stellen zu streichen.
L'entreprise a annoncé qu'elle supprimerait deux mille emplois d'ici la fin de l'année.
A empresa anunciou que vai cortar dois mil empregos até o final do ano.
Scientists found a new species of frog in the rainforest after years of searching.
Wissenschaftler fanden nach jahrelanger Suche eine neue Froschart im Regenwald.
Des scientifiques ont découvert une nouvelle espèce de grenouille dans la forêt tropicale.
Cientistas encontraram uma nova espécie de sapo na floresta tropical após anos de busca.
The president will travel to Brussels for the summit of the alliance on Friday morning.
Der Präsident reist am Freitagmorgen zum Gipfel des Bündnisses nach Brüssel.
Le président se rendra à Bruxelles vendredi matin pour le sommet de l'alliance.
O presidente vai viajar para Bruxelas para a cúpula da aliança na sexta-feira de manhã.
"""

SPECIAL = ("</s>", "<unk>")


def train_sentencepiece(
    path: Path, vocab_size: int = 200, text: str = CORPUS, model_type: str = "unigram"
) -> Path:
    """Train a sentencepiece model (unigram, or bpe as NLLB's) on `text`; returns the `.model` file."""
    import sentencepiece as spm

    path.parent.mkdir(parents=True, exist_ok=True)
    corpus = path.with_suffix(".txt")
    corpus.write_text(text, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(path.with_suffix("")),
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        bos_id=-1,
        eos_id=1,
        unk_id=0,
        pad_id=-1,
        minloglevel=2,
    )
    corpus.unlink()
    return path.with_suffix(".model")


def _pieces(spm_file: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_file))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_marian(
    out: Path,
    *,
    target_tokens: Sequence[str] = (),
    max_positions: int = 64,
    d_model: int = 32,
    layers: int = 1,
    heads: int = 4,
    ffn: int = 64,
    extra_vocab: int = 0,
    seed: int = 0,
) -> Path:
    """A Marian (OPUS-MT) model directory: source/target.spm, vocab.json, config, random weights.

    `target_tokens` such as `(">>fr<<", ">>de<<")` make it a multi-target model like opus-mt-en-ROMANCE.
    `extra_vocab` pads the vocabulary with dummy tokens (the benchmark uses it to reach 58,101 entries).
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    work = out / "_spm"
    spm_file = train_sentencepiece(work / "shared.model")
    shutil.copy(spm_file, out / "source.spm")
    shutil.copy(spm_file, out / "target.spm")
    shutil.rmtree(work)
    tokens = list(SPECIAL) + [p for p in _pieces(out / "source.spm") if p not in SPECIAL and p != "<unk>"]
    tokens += list(target_tokens)
    tokens += [f"<dummy{i}>" for i in range(extra_vocab)]
    tokens.append("<pad>")
    vocab = {tok: i for i, tok in enumerate(tokens)}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(out / "source.spm"),
        target_spm=str(out / "target.spm"),
        vocab=str(out / "vocab.json"),
        model_max_length=max_positions,
    )
    tokenizer.save_pretrained(str(out))
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    _sharpen(model)
    model.save_pretrained(str(out))
    return out


def build_m2m100(out: Path, *, langs: Sequence[str] = ("en", "de", "fr", "pt"), seed: int = 0) -> Path:
    """An M2M100 model directory (`__de__`-style language tokens, `src_lang`, `get_lang_id`)."""
    from transformers import M2M100Tokenizer

    out.mkdir(parents=True, exist_ok=True)
    spm_file = train_sentencepiece(out / "_spm" / "sp.model")
    shutil.copy(spm_file, out / "sentencepiece.bpe.model")
    shutil.rmtree(out / "_spm")
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    pieces = [p for p in _pieces(out / "sentencepiece.bpe.model") if p not in specials]
    vocab = {tok: i for i, tok in enumerate(specials + pieces)}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = M2M100Tokenizer(
        vocab_file=str(out / "vocab.json"),
        spm_file=str(out / "sentencepiece.bpe.model"),
        num_madeup_words=0,
    )
    # Keep only the languages we need, in the order M2M100 uses: lang tokens follow the vocabulary.
    tokenizer.save_pretrained(str(out))
    # language tokens (__af__ ... __zu__) come after the sentencepiece vocabulary
    vocab_size = max(tokenizer.convert_tokens_to_ids(f"__{code}__") for code in ("af", "zu", "en")) + 1
    _save_tiny_m2m100(out, tokenizer, vocab_size, seed)
    del langs
    return out


def build_nllb(out: Path, *, seed: int = 0) -> Path:
    """An NLLB-style model directory: M2M100 architecture, FLORES codes (`deu_Latn`) as special tokens."""
    from transformers import AutoTokenizer

    from transnorm.translate.routing import NLLB_CODES

    out.mkdir(parents=True, exist_ok=True)
    # NLLB's sentencepiece model is BPE, and transformers' fast NLLB tokenizer assumes so
    spm_file = train_sentencepiece(out / "_spm" / "sp.model", model_type="bpe")
    shutil.copy(spm_file, out / "sentencepiece.bpe.model")
    shutil.rmtree(out / "_spm")
    (out / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "NllbTokenizer"}), encoding="utf-8"
    )
    tokenizer = AutoTokenizer.from_pretrained(str(out))
    codes = sorted(set(NLLB_CODES.values()))
    tokenizer.add_special_tokens({"additional_special_tokens": codes})  # no-op where already present
    tokenizer.save_pretrained(str(out))
    _save_tiny_m2m100(out, tokenizer, len(tokenizer), seed)
    return out


def _save_tiny_m2m100(out: Path, tokenizer: Any, vocab_size: int, seed: int) -> None:
    """A 1+1-layer, 16-dim M2M100 with random (sharpened) weights, saved next to its tokenizer."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    config = M2M100Config(
        vocab_size=vocab_size,
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=64,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config)
    _sharpen(model)
    model.save_pretrained(str(out))


def _sharpen(model: object) -> None:
    """Scale weights so that random logits have clear winners that depend on the input.

    With default initialisation the top two logits of a tiny model are often within float rounding
    of each other, and every input gets the same output. Scaled up (the encoder and cross-attention
    more than the rest), greedy decoding is decided by the weights and differs between inputs, so two
    correct engines must agree token for token.
    """
    import torch

    with torch.no_grad():
        for name, p in model.named_parameters():  # type: ignore[attr-defined]
            p.mul_(4.0 if ("encoder_attn" in name or "encoder." in name) else 2.0)


def install_in_hf_cache(model_dir: Path, hf_home: Path, repo_id: str, revision: str = "0" * 40) -> Path:
    """Copy a model directory into a Hugging Face cache under `repo_id`; returns the snapshot dir."""
    repo = hf_home / "hub" / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / revision
    if snapshot.exists():
        shutil.rmtree(snapshot)
    shutil.copytree(model_dir, snapshot)
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(revision, encoding="utf-8")
    return snapshot
