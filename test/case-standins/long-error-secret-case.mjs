// Case that was handed a credential (on its command line, as echo-secret-case is) and crashes
// with an error line long enough that the report's first error clips it inside the credential.
const secret = process.argv[2];
process.stderr.write(`Error: request failed: ${'.'.repeat(300 - 'Error: request failed: '.length - 20)}${secret}\n`);
process.exit(3);
