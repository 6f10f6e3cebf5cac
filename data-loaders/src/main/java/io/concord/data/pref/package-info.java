/**
 * Data for preference training over Hadoop FileSystem: preference pairs (plain, OpenAI DPO schema as in the ORCA
 * file, HH-RLHF dialogues), ranked lists, TOFU splits (JSON lines or arrays), character vocabularies, text-to-token
 * encoding, and a generated arithmetic reasoning task with worked solutions and an answer checker. Errors are
 * {@link io.concord.data.DataException}s naming the file and line.
 */
package io.concord.data.pref;
