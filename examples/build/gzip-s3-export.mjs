// Writes the gzipped S3-export example from its readable source, the way
// GuardDuty's S3 export delivers findings: JSON lines, gzip-compressed.
// Run from the repository root: node examples/build/gzip-s3-export.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const source = 'examples/build/s3-export-tor-client-and-s3-discovery.jsonl.txt';
const target = 'examples/s3-export-tor-client-and-s3-discovery.jsonl.gz';
const gz = gzipSync(readFileSync(source), { level: 9 });
writeFileSync(target, gz);
process.stdout.write(`${target}: ${gz.length} bytes\n`);
