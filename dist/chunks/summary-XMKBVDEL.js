import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-2BFBTYQ6.js";import"./chunk-CWLECZAB.js";import"./chunk-7CTN3MPI.js";import"./chunk-2C4SQSKF.js";import"./chunk-OE5NICUB.js";import"./chunk-VQJJPIGB.js";import"./chunk-AU7TF4JB.js";import"./chunk-DKIQP6KB.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
