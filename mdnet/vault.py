"""The vault reader: finds the vault, reads each note on its own, resolves links. (Being written.)

API:
    find_vault(explicit: Path | None, cwd: Path) -> Path
    read_note(path: str, data: bytes) -> NoteResult      # pure: vault-relative path and bytes
    assemble(name: str, results: list[NoteResult]) -> Vault   # links, campaign, vault-wide problems
    load(root: Path) -> Vault                              # scan + read_note + assemble
"""
