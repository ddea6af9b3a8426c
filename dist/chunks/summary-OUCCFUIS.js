import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-TJZ7JDON.js";import"./chunk-SLHCFIOG.js";import"./chunk-DREJ5BTG.js";import"./chunk-2C4SQSKF.js";import"./chunk-MIWYRNHU.js";import"./chunk-VZGYIAHZ.js";import"./chunk-XRLWKBJM.js";import"./chunk-LJ5UA4ZF.js";import"./chunk-TLIJSXQG.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_SUMMARY_CHARS,c as compareFindings,b as countBySeverity,e as mergedChecklist,f as renderJobSummary,d as renderSummary};
