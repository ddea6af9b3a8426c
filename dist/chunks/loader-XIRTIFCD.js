import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{e as a,f as b,g as c,h as d,i as e,j as f}from"./chunk-UGDIOZNL.js";import"./chunk-RLHBGX3A.js";import"./chunk-TLIJSXQG.js";import"./chunk-7MKXSD5K.js";import"./chunk-PBWMPYTZ.js";import"./chunk-OZJ4OJ24.js";export{a as MAX_PERSONA_BYTES,d as cleanDescription,f as findPersona,c as inheritFrom,e as loadPersonaSet,b as parsePersona};
