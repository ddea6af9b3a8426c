import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-W64TIRIJ.js";import"./chunk-AUCFTFPO.js";import"./chunk-YY36MLMU.js";import"./chunk-2C4SQSKF.js";import"./chunk-FYZGDC4P.js";import"./chunk-IZTOGJSF.js";import"./chunk-OVMO4ZWV.js";import"./chunk-N2522RTT.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
