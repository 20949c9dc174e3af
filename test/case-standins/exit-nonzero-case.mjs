// Case that crashes with exit 3 before doing anything, as Case does on a missing projects.json.
process.stderr.write('case: Repo "sum-bug" not found\n');
process.exit(3);
