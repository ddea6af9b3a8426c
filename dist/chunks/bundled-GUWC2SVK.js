import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-YN4J2JNW.js";import"./chunk-UGDIOZNL.js";import"./chunk-RLHBGX3A.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-PBWMPYTZ.js";import"./chunk-OZJ4OJ24.js";export{a as findProjectRoot,b as readBundledPersonas,c as readPersonaDir};
