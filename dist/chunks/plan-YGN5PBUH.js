import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{l as a,m as b,n as c,o as d}from"./chunk-Y3JFNPFY.js";import"./chunk-QGDJKLTM.js";import"./chunk-EG6MWXL3.js";import"./chunk-JFESDOLA.js";import"./chunk-2NQMUUZW.js";import"./chunk-7JEORZUB.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-PBWMPYTZ.js";import"./chunk-OZJ4OJ24.js";export{a as STATUS_ICON,b as buildDeterministicPlan,d as checklistTable,c as renderPlan};
